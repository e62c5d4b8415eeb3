// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title PayrollVault
/// @notice Holds the payout token and pays approved payouts. The owner (the DAO's timelock) approves a payout's
/// Merkle root of (account, amount) leaves in OpenZeppelin StandardMerkleTree "standard-v1" encoding, with the pay
/// period it covers; then anyone may claim a leaf for its account, one by one or in batches proven by a single
/// multiproof. Periods are approved in order and never overlap, so no stretch of time is paid twice: not by a
/// re-scored payout, a second Merit instance or a hand-made proposal.
contract PayrollVault is Ownable {
    using SafeERC20 for IERC20;

    struct Epoch {
        bytes32 root;
        bytes32 contentHash;
        uint128 total;
        uint128 claimed;
        uint64 periodStart;
        uint64 periodEnd;
    }

    /// @notice The token paid out.
    IERC20 public immutable token;
    /// @notice Approved but not yet claimed amounts, over all epochs.
    uint256 public reserved;
    /// @notice Approved payouts, keyed by the payout proposal's content hash read as a uint256 (Merit's "vault epoch").
    mapping(uint256 epoch => Epoch) public epochs;
    /// @notice End (exclusive, Unix seconds) of the latest period approved; a period must start at or after it.
    uint64 public approvedUntil;
    /// @notice Claimed leaves per epoch.
    mapping(uint256 epoch => mapping(bytes32 leaf => bool)) public claimed;

    event EpochApproved(
        uint256 indexed epoch, bytes32 root, uint256 total, bytes32 contentHash, uint64 periodStart, uint64 periodEnd
    );
    event Claimed(uint256 indexed epoch, address indexed account, uint256 amount);

    error EpochAlreadyApproved(uint256 epoch);
    error EpochNotApproved(uint256 epoch);
    error EmptyRoot();
    error TotalTooLarge(uint256 total);
    error InsufficientUnreservedBalance(uint256 requested, uint256 available);
    error InvalidProof(uint256 epoch);
    error AlreadyClaimed(uint256 epoch, address account, uint256 amount);
    error ClaimsExceedTotal(uint256 epoch);
    error LengthMismatch(uint256 accounts, uint256 amounts);
    error EmptyPeriod(uint64 periodStart, uint64 periodEnd);
    error PeriodAlreadyApproved(uint64 periodStart, uint64 approvedUntil);

    constructor(IERC20 token_, address owner_) Ownable(owner_) {
        token = token_;
    }

    /// @notice Approves a payout: its Merkle root, its total, the proposal's content hash and the pay period
    /// [periodStart, periodEnd) it covers (Unix seconds).
    /// @dev Only the owner. A payout is approved once; the total must be covered by the unreserved balance; the
    /// period must not start before the end of the last period approved (reverts PeriodAlreadyApproved).
    function approveEpoch(
        uint256 epoch,
        bytes32 root,
        uint256 total,
        bytes32 contentHash,
        uint64 periodStart,
        uint64 periodEnd
    ) external onlyOwner {
        if (root == bytes32(0)) revert EmptyRoot();
        if (epochs[epoch].root != bytes32(0)) revert EpochAlreadyApproved(epoch);
        if (periodEnd <= periodStart) revert EmptyPeriod(periodStart, periodEnd);
        if (periodStart < approvedUntil) revert PeriodAlreadyApproved(periodStart, approvedUntil);
        if (total > type(uint128).max) revert TotalTooLarge(total);
        uint256 available = token.balanceOf(address(this)) - reserved;
        if (total > available) revert InsufficientUnreservedBalance(total, available);
        epochs[epoch] = Epoch(root, contentHash, uint128(total), 0, periodStart, periodEnd);
        approvedUntil = periodEnd;
        reserved += total;
        emit EpochApproved(epoch, root, total, contentHash, periodStart, periodEnd);
    }

    /// @notice Pays `amount` to `account` for `epoch`, given the leaf's Merkle proof. Callable by anyone.
    function claim(uint256 epoch, address account, uint256 amount, bytes32[] calldata proof) external {
        Epoch storage e = _approved(epoch);
        bytes32 leaf = _leaf(account, amount);
        if (!MerkleProof.verifyCalldata(proof, e.root, leaf)) revert InvalidProof(epoch);
        _pay(epoch, e, leaf, account, amount);
    }

    /// @notice Pays many leaves of `epoch` at once, proven by one multiproof (leaves in multiproof order).
    function claimBatch(
        uint256 epoch,
        address[] calldata accounts,
        uint256[] calldata amounts,
        bytes32[] calldata proof,
        bool[] calldata proofFlags
    ) external {
        if (accounts.length != amounts.length) revert LengthMismatch(accounts.length, amounts.length);
        Epoch storage e = _approved(epoch);
        bytes32[] memory leaves = new bytes32[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            leaves[i] = _leaf(accounts[i], amounts[i]);
        }
        if (!MerkleProof.multiProofVerifyCalldata(proof, proofFlags, e.root, leaves)) revert InvalidProof(epoch);
        for (uint256 i = 0; i < accounts.length; ++i) {
            _pay(epoch, e, leaves[i], accounts[i], amounts[i]);
        }
    }

    function _approved(uint256 epoch) private view returns (Epoch storage e) {
        e = epochs[epoch];
        if (e.root == bytes32(0)) revert EpochNotApproved(epoch);
    }

    function _pay(uint256 epoch, Epoch storage e, bytes32 leaf, address account, uint256 amount) private {
        if (claimed[epoch][leaf]) revert AlreadyClaimed(epoch, account, amount);
        uint256 newClaimed = uint256(e.claimed) + amount;
        if (newClaimed > e.total) revert ClaimsExceedTotal(epoch);
        claimed[epoch][leaf] = true;
        e.claimed = uint128(newClaimed);
        reserved -= amount;
        token.safeTransfer(account, amount);
        emit Claimed(epoch, account, amount);
    }

    /// @dev StandardMerkleTree standard-v1 leaf of (address, uint256).
    function _leaf(address account, uint256 amount) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }
}
