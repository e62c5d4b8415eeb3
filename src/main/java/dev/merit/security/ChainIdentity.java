package dev.merit.security;

/**
 * Which chain the DAO lives on, for the checks that name it (a Sign-In with Ethereum message's chain id). A port:
 * the chain layer, above, implements it.
 */
public interface ChainIdentity {

    long chainId();
}
