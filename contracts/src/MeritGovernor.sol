// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title MeritGovernor
/// @notice Members vote with their delegated MeritToken votes on proposals (Merit proposes the vault's approveEpoch);
/// a proposal that passes is queued in the timelock and executed there once its delay is over: the timelock, not the
/// governor, makes the calls and holds the DAO's assets.
/// @dev OpenZeppelin Governor with GovernorSettings (voting delay and period in blocks, proposal threshold; all three
/// changeable by a proposal), GovernorCountingSimple (against, for, abstain; for and abstain count towards the quorum;
/// a proposal passes with more for than against), GovernorVotes (votes read from the token at the proposal's snapshot
/// block), GovernorVotesQuorumFraction (the quorum is a percentage of the token's total supply at the snapshot) and
/// GovernorTimelockControl (queue, then execute through a TimelockController).
contract MeritGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    /// @notice Deploys the governor of `token`'s votes, executing through `timelock`: a vote starts `votingDelay_`
    /// blocks after its proposal and lasts `votingPeriod_` blocks; the quorum is `quorumPercent` percent of the
    /// supply; anyone may propose (threshold 0). The timelock must then make the governor its proposer and canceller.
    /// @dev Reverts GovernorInvalidVotingPeriod for a period of 0 and GovernorInvalidQuorumFraction above 100 percent.
    constructor(IVotes token, TimelockController timelock, uint48 votingDelay_, uint32 votingPeriod_, uint256 quorumPercent)
        Governor("MeritGovernor")
        GovernorSettings(votingDelay_, votingPeriod_, 0)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock)
    {}

    /// @notice Blocks between a proposal and its snapshot; voting opens in the block after the snapshot.
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @notice Blocks a vote lasts, from the snapshot to the deadline (inclusive).
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @notice Votes (for plus abstain) a proposal whose snapshot is block `timepoint` needs: quorumNumerator()
    /// percent of the token's total supply at that block, as the numerator stood then.
    /// @dev Reverts ERC5805FutureLookup (from the token) for a block not yet mined.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @notice A proposal's state: Pending (0) until its snapshot, Active (1) through its deadline, then Defeated (3)
    /// or Succeeded (4), Queued (5) in the timelock, Executed (7); Canceled (2) if its proposer cancelled it while
    /// pending, or if its timelock operation was cancelled.
    /// @dev Reverts GovernorNonexistentProposal for an unknown id. Expired (6) never occurs: queued operations do not
    /// expire.
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @notice Always true: a passed proposal is queued in the timelock before it can be executed.
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @notice Votes an account needs (in the block before it proposes) to propose; 0 at deployment: anyone may.
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @dev Schedules the proposal's calls as one timelock batch (GovernorTimelockControl).
    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Executes the proposal's batch in the timelock (GovernorTimelockControl).
    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    /// @dev Cancels the proposal, and its timelock operation if queued (GovernorTimelockControl).
    function _cancel(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash)
        internal
        override(Governor, GovernorTimelockControl)
        returns (uint256)
    {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    /// @dev The timelock: the address that makes the DAO's calls and may call the governor's onlyGovernance functions.
    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
