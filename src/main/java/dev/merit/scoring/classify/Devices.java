package dev.merit.scoring.classify;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.Locale;

/** {@code auto} (a GPU when PyTorch sees one, else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}. */
public final class Devices {

    private Devices() {
    }

    public static Device resolve(String setting) {
        String s = setting == null ? "auto" : setting.strip().toLowerCase(Locale.ROOT);
        Engine engine = Engine.getEngine("PyTorch");
        if (s.equals("auto")) {
            return engine.defaultDevice();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int id = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
            if (engine.getGpuCount() <= id) {
                throw new IllegalArgumentException("device " + setting + " requested, but PyTorch sees "
                        + engine.getGpuCount() + " GPU(s); this build has " + (engine.getGpuCount() == 0
                        ? "CPU natives only (build with -Pcuda for CUDA)" : "fewer GPUs") + ". Use auto or cpu.");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, got '" + setting + "'");
    }
}
