// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title PayoutToken
/// @notice A plain mintable ERC-20 with the decimals chosen at deployment: the payout currency of local chains and
/// tests. On a real chain the vault pays an existing ERC-20 (a stablecoin, say) instead.
/// @dev Merit's deployment keeps the deployer as its owner and mints the vault's funding with it.
contract PayoutToken is ERC20, Ownable {
    uint8 private immutable _decimals;

    /// @notice Deploys the token with no supply and `decimals_` decimals; `owner_` may mint.
    constructor(string memory name_, string memory symbol_, uint8 decimals_, address owner_)
        ERC20(name_, symbol_)
        Ownable(owner_)
    {
        _decimals = decimals_;
    }

    /// @notice Mints `amount` base units to `to`. Only the owner.
    /// @dev Reverts OwnableUnauthorizedAccount for anyone but the owner and ERC20InvalidReceiver for the zero address.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }

    /// @notice The decimals given at deployment: a token is 10^decimals base units.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
