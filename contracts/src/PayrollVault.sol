// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title PayrollVault
/// @notice Holds the payout token and pays approved payouts. The owner (the DAO's timelock) approves a payout: the
/// Merkle root of its (account, amount) leaves in OpenZeppelin StandardMerkleTree "standard-v1" encoding, its total,
/// the content hash of the proposal it comes from and the pay period it covers. Then anyone may claim a leaf, one by
/// one or in batches proven by a single multiproof; the money always goes to the leaf's account. Pay periods are
/// approved in order and never overlap, so this vault never pays a stretch of time twice: not for a re-scored
/// payout, a second Merit instance using the same vault, or a hand-made proposal.
/// A payout may also hold shares for contributors who have no wallet yet: the owner approves a second Merkle root of
/// (bytes32 key, amount) leaves, the key derived from the contributor (never an address), and reserves their total.
/// Only the owner releases a held share to a wallet, so each release is a governance decision members see when they
/// vote; the owner may also return what was never released to the treasury.
/// @dev Amounts are the token's base units. A payout is known by an id the owner chooses, called `epoch` here (Merit
/// uses the proposal's content hash read as a uint256). An approval reserves its total out of the balance; claims
/// release it. Nothing takes back an approved amount that is never claimed: it stays reserved. Meant for plain
/// ERC-20s: a token that charges a fee on transfer, or rebases, would break the reservation.
contract PayrollVault is Ownable {
    using SafeERC20 for IERC20;

    struct Epoch {
        bytes32 root; // Merkle root of the payout's leaves; zero when it pays no wallet (all shares held)
        bytes32 contentHash; // the payout proposal's content hash, as approved
        uint128 total; // base units the payout may pay in all
        uint128 claimed; // base units paid so far
        uint64 periodStart; // pay period covered, [periodStart, periodEnd) in Unix seconds
        uint64 periodEnd;
    }

    /// @notice The ERC-20 this vault holds and pays.
    IERC20 public immutable token;
    /// @notice Base units approved but not yet claimed, over all payouts; a new payout must fit in the balance above it.
    uint256 public reserved;
    /// @notice An approved payout by its id: (root, contentHash, total, claimed, periodStart, periodEnd); zeros for an
    /// id never approved.
    /// @dev The id is whatever number the approving proposal chose; the contract does not tie it to `contentHash`.
    /// Merit chooses the payout proposal's content hash read as a uint256 (its "vault epoch"): it names a payout, not
    /// a period of time.
    mapping(uint256 epoch => Epoch) public epochs;
    /// @notice End (exclusive, Unix seconds) of the latest pay period approved, 0 before the first; the next period
    /// must start at or after it.
    uint64 public approvedUntil;
    /// @notice Whether payout `epoch` has paid the leaf `leaf`: the StandardMerkleTree leaf hash,
    /// keccak256(bytes.concat(keccak256(abi.encode(account, amount)))).
    mapping(uint256 epoch => mapping(bytes32 leaf => bool)) public claimed;

    struct Held {
        bytes32 root; // Merkle root of (bytes32 key, uint256 amount) leaves; zero when nothing is held
        uint128 total; // base units held in all
        uint128 settled; // base units released to wallets so far
        bool returned; // what was not released went back to the treasury; nothing more is released
    }

    /// @notice Shares payout `epoch` holds for contributors without a wallet: (root, total, settled, returned).
    mapping(uint256 epoch => Held) public held;
    /// @notice Whether the held leaf `leaf` of payout `epoch` (keccak256(bytes.concat(keccak256(abi.encode(key,
    /// amount))))) has been released.
    mapping(uint256 epoch => mapping(bytes32 leaf => bool)) public released;

    /// @notice Payout `epoch` was approved, with its Merkle root, total (base units), content hash and pay period.
    event EpochApproved(
        uint256 indexed epoch, bytes32 root, uint256 total, bytes32 contentHash, uint64 periodStart, uint64 periodEnd
    );
    /// @notice Payout `epoch` paid `amount` base units to `account`.
    event Claimed(uint256 indexed epoch, address indexed account, uint256 amount);
    /// @notice Payout `epoch` holds `total` base units for contributors without a wallet, under the root `root`.
    event HeldApproved(uint256 indexed epoch, bytes32 root, uint256 total);
    /// @notice The share payout `epoch` held under `key` (`amount` base units) was released to `account`.
    event HeldReleased(uint256 indexed epoch, bytes32 indexed key, address account, uint256 amount);
    /// @notice What payout `epoch` still held (`amount` base units) went back to the treasury.
    event HeldReturned(uint256 indexed epoch, uint256 amount);

    /// @notice Payout `epoch` is already approved; an id is approved once.
    error EpochAlreadyApproved(uint256 epoch);
    /// @notice Payout `epoch` has not been approved: its proposal has not been executed.
    error EpochNotApproved(uint256 epoch);
    /// @notice A payout's Merkle root may not be zero (zero marks an id as not approved).
    error EmptyRoot();
    /// @notice A payout's total must fit in 128 bits.
    error TotalTooLarge(uint256 total);
    /// @notice The vault holds `available` base units beyond what earlier payouts reserved, less than `requested`.
    error InsufficientUnreservedBalance(uint256 requested, uint256 available);
    /// @notice The proof (or multiproof) does not prove the leaves against payout `epoch`'s root.
    error InvalidProof(uint256 epoch);
    /// @notice Payout `epoch` has already paid the leaf (`account`, `amount`); each leaf is paid once.
    error AlreadyClaimed(uint256 epoch, address account, uint256 amount);
    /// @notice Paying this leaf would take payout `epoch` past its approved total.
    error ClaimsExceedTotal(uint256 epoch);
    /// @notice A batch claim lists `accounts` accounts but `amounts` amounts.
    error LengthMismatch(uint256 accounts, uint256 amounts);
    /// @notice The pay period [`periodStart`, `periodEnd`) is empty or backwards.
    error EmptyPeriod(uint64 periodStart, uint64 periodEnd);
    /// @notice The period starts at `periodStart`, before `approvedUntil`, the end of the latest period approved: part
    /// of it would be paid twice.
    error PeriodAlreadyApproved(uint64 periodStart, uint64 approvedUntil);
    /// @notice Payout `epoch` already holds shares; held shares are approved once, with the payout.
    error HeldAlreadyApproved(uint256 epoch);
    /// @notice Payout `epoch` holds no shares.
    error NothingHeld(uint256 epoch);
    /// @notice What payout `epoch` held was returned to the treasury; nothing more is released from it.
    error HeldWasReturned(uint256 epoch);
    /// @notice The share payout `epoch` held under `key` was already released; each is released once.
    error AlreadyReleased(uint256 epoch, bytes32 key);

    /// @notice Deploys a vault that pays `token_`, owned by `owner_` (the DAO's timelock in Merit's deployment).
    /// @dev Reverts OwnableInvalidOwner for the zero address. Fund it by transferring `token_` to it.
    constructor(IERC20 token_, address owner_) Ownable(owner_) {
        token = token_;
    }

    /// @notice Approves payout `epoch`: its Merkle `root`, its `total` in base units, the `contentHash` of the
    /// proposal it comes from and the pay period [periodStart, periodEnd) it covers (Unix seconds). Only the owner.
    /// @dev Reverts, checked in this order: OwnableUnauthorizedAccount for anyone but the owner; EmptyRoot for a zero
    /// root with a total above zero (a payout whose every share is held pays no wallet: zero root, zero total);
    /// EpochAlreadyApproved; EmptyPeriod unless periodStart < periodEnd; PeriodAlreadyApproved if periodStart is
    /// before approvedUntil (periods come in order; one may start where the last ended); TotalTooLarge past
    /// 2^128 - 1; InsufficientUnreservedBalance if the balance not yet reserved is less than `total`. Then reserves
    /// `total`, moves approvedUntil to periodEnd and emits EpochApproved. The leaves are not summed here: claims stop
    /// at `total` (ClaimsExceedTotal), and whatever is never claimed stays reserved.
    function approveEpoch(
        uint256 epoch,
        bytes32 root,
        uint256 total,
        bytes32 contentHash,
        uint64 periodStart,
        uint64 periodEnd
    ) external onlyOwner {
        if (root == bytes32(0) && total > 0) revert EmptyRoot();
        if (epochs[epoch].periodEnd != 0) revert EpochAlreadyApproved(epoch);
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

    /// @notice Pays `amount` base units to `account` for payout `epoch`, given the Merkle proof of the leaf
    /// (account, amount). Anyone may submit it; the money goes to `account`.
    /// @dev Reverts EpochNotApproved, InvalidProof, AlreadyClaimed or ClaimsExceedTotal. Emits Claimed.
    function claim(uint256 epoch, address account, uint256 amount, bytes32[] calldata proof) external {
        Epoch storage e = _approved(epoch);
        bytes32 leaf = _leaf(account, amount);
        if (!MerkleProof.verifyCalldata(proof, e.root, leaf)) revert InvalidProof(epoch);
        _pay(epoch, e, leaf, account, amount);
    }

    /// @notice Pays many leaves of payout `epoch` at once, proven by one multiproof: `accounts[i]` gets `amounts[i]`,
    /// the leaves in the multiproof's order. Anyone may submit it.
    /// @dev Reverts LengthMismatch, EpochNotApproved, MerkleProofInvalidMultiproof (flags that do not fit the proof),
    /// InvalidProof, or for any one leaf AlreadyClaimed or ClaimsExceedTotal, and then pays no one. Emits Claimed per
    /// leaf.
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

    /// @notice Holds shares of approved payout `epoch` for contributors without a wallet: the Merkle `root` of its
    /// (bytes32 key, uint256 amount) leaves and their `total`, reserved out of the balance. Only the owner, in the
    /// proposal that approves the payout.
    /// @dev Reverts OwnableUnauthorizedAccount, EpochNotApproved, HeldAlreadyApproved, EmptyRoot, TotalTooLarge or
    /// InsufficientUnreservedBalance. Emits HeldApproved.
    function approveHeld(uint256 epoch, bytes32 root, uint256 total) external onlyOwner {
        _approved(epoch);
        if (held[epoch].root != bytes32(0)) revert HeldAlreadyApproved(epoch);
        if (root == bytes32(0)) revert EmptyRoot();
        if (total > type(uint128).max) revert TotalTooLarge(total);
        uint256 available = token.balanceOf(address(this)) - reserved;
        if (total > available) revert InsufficientUnreservedBalance(total, available);
        held[epoch] = Held(root, uint128(total), 0, false);
        reserved += total;
        emit HeldApproved(epoch, root, total);
    }

    /// @notice One held share to release: the key it is held under, its amount, and the wallet it goes to.
    struct Release {
        bytes32 key;
        uint256 amount;
        address account;
    }

    /// @notice Releases shares payout `epoch` held: each `releases[i].account` gets `releases[i].amount`, held under
    /// `releases[i].key`, the leaves proven by one multiproof (in its order). Only the owner: each release is a
    /// governance decision members see in the proposal they vote on.
    /// @dev Reverts OwnableUnauthorizedAccount, NothingHeld, HeldWasReturned, InvalidProof, or for any leaf
    /// AlreadyReleased or ClaimsExceedTotal, and then releases none. Emits HeldReleased per leaf.
    function releaseHeld(uint256 epoch, Release[] calldata releases, bytes32[] calldata proof, bool[] calldata proofFlags)
        external
        onlyOwner
    {
        Held storage h = held[epoch];
        if (h.root == bytes32(0)) revert NothingHeld(epoch);
        if (h.returned) revert HeldWasReturned(epoch);
        bytes32[] memory leaves = new bytes32[](releases.length);
        for (uint256 i = 0; i < releases.length; ++i) {
            leaves[i] = _heldLeaf(releases[i].key, releases[i].amount);
        }
        if (!MerkleProof.multiProofVerifyCalldata(proof, proofFlags, h.root, leaves)) revert InvalidProof(epoch);
        for (uint256 i = 0; i < releases.length; ++i) {
            _release(epoch, h, leaves[i], releases[i]);
        }
    }

    function _release(uint256 epoch, Held storage h, bytes32 leaf, Release calldata r) private {
        if (released[epoch][leaf]) revert AlreadyReleased(epoch, r.key);
        uint256 settled = uint256(h.settled) + r.amount;
        if (settled > h.total) revert ClaimsExceedTotal(epoch);
        released[epoch][leaf] = true;
        h.settled = uint128(settled);
        reserved -= r.amount;
        token.safeTransfer(r.account, r.amount);
        emit HeldReleased(epoch, r.key, r.account, r.amount);
    }

    /// @dev StandardMerkleTree standard-v1 leaf of (bytes32, uint256).
    function _heldLeaf(bytes32 key, uint256 amount) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(key, amount))));
    }

    /// @notice Returns to the treasury what payout `epoch` still holds (shares never released): they are no longer
    /// reserved, and nothing more is released from this payout. Only the owner, by a vote.
    /// @dev Reverts OwnableUnauthorizedAccount, NothingHeld or HeldWasReturned. Emits HeldReturned.
    function returnHeld(uint256 epoch) external onlyOwner {
        Held storage h = held[epoch];
        if (h.root == bytes32(0)) revert NothingHeld(epoch);
        if (h.returned) revert HeldWasReturned(epoch);
        uint256 remaining = uint256(h.total) - h.settled;
        h.returned = true;
        reserved -= remaining;
        emit HeldReturned(epoch, remaining);
    }

    function _approved(uint256 epoch) private view returns (Epoch storage e) {
        e = epochs[epoch];
        if (e.periodEnd == 0) revert EpochNotApproved(epoch);
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
