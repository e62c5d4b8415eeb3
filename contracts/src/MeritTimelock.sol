// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title MeritTimelock
/// @notice OpenZeppelin's TimelockController, unchanged: a call the DAO voted for waits at least `getMinDelay()`
/// seconds between being scheduled and being executed, so members can see it coming. The timelock makes the DAO's
/// calls and owns what the DAO owns: the payroll vault and the governance token.
/// @dev The roles are given at deployment. Merit's deployment makes the governor the only proposer and canceller,
/// lets anyone execute (executor address(0)), and has the deployer renounce the admin role: from then on only the
/// timelock itself, through a passed proposal, changes roles or the delay (updateDelay).
contract MeritTimelock is TimelockController {
    /// @notice Deploys the timelock: operations wait at least `minDelay` seconds; `proposers` schedule and cancel;
    /// `executors` execute (address(0) among them: anyone); `admin`, unless zero, grants and revokes roles beside the
    /// timelock itself until it renounces.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
