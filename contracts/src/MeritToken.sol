// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title MeritToken
/// @notice The DAO's governance token: an ERC-20 whose balances count as votes once their holder delegates them (to
/// themselves or to someone else), checkpointed per block (ERC-5805), with approvals and delegations by signature
/// (ERC-2612 permit, delegateBySig).
/// @dev OpenZeppelin ERC20 + ERC20Permit + ERC20Votes + Ownable. Its clock is the block number. Merit's deployment
/// mints each member's votes, then makes the DAO's timelock the owner: from then on only a passed proposal mints.
/// The supply is capped at 2^208 - 1 (ERC20ExceededSafeSupply), the width of a vote checkpoint.
contract MeritToken is ERC20, ERC20Permit, ERC20Votes, Ownable {
    /// @notice Deploys the token with no supply; `owner_` may mint. Signatures (permit, delegateBySig) are EIP-712
    /// in the domain named `name_`, version "1".
    constructor(string memory name_, string memory symbol_, address owner_)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
        Ownable(owner_)
    {}

    /// @notice Mints `amount` tokens (base units, 18 decimals) to `to`. Only the owner: the DAO's timelock once
    /// Merit has deployed the DAO. Minted tokens are not votes until their holder delegates them.
    /// @dev Reverts OwnableUnauthorizedAccount for anyone but the owner, ERC20InvalidReceiver for the zero address and
    /// ERC20ExceededSafeSupply past a supply of 2^208 - 1.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @dev Balances and votes move together (ERC20Votes); the override Solidity asks for with two bases.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    /// @notice The nonce `owner`'s next signature must use; permit and delegateBySig share this one counter.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
