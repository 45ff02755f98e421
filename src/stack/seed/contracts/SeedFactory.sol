// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "./SeedERC20.sol";

/// Creates tokens from a contract (CREATE and CREATE2), so the chain has contracts whose creator
/// is another contract: they show up in traces, not as receipt.contractAddress. `split` forwards
/// ETH to two addresses, giving internal value-transfer calls.
contract SeedFactory {
    event Created(address indexed child, bool viaCreate2);

    function create(string calldata name_, string calldata symbol_, uint256 supply) external returns (address child) {
        child = address(new SeedERC20(name_, symbol_, 18, supply, msg.sender));
        emit Created(child, false);
    }

    function create2(bytes32 salt, string calldata name_, string calldata symbol_, uint256 supply) external returns (address child) {
        child = address(new SeedERC20{salt: salt}(name_, symbol_, 18, supply, msg.sender));
        emit Created(child, true);
    }

    function split(address payable a, address payable b) external payable {
        uint256 half = msg.value / 2;
        (bool okA, ) = a.call{value: half}("");
        (bool okB, ) = b.call{value: msg.value - half}("");
        require(okA && okB, "forward failed");
    }
}
