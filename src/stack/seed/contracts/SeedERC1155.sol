// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Minimal ERC-1155 emitting TransferSingle and TransferBatch. Receivers are EOAs in the seed, so
/// the onERC1155Received hooks are left out.
contract SeedERC1155 {
    mapping(uint256 => mapping(address => uint256)) public balanceOf;
    address public minter;

    event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
    event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values);
    event URI(string value, uint256 indexed id);

    constructor() {
        minter = msg.sender;
    }

    function mint(address to, uint256 id, uint256 value) external {
        require(msg.sender == minter, "not minter");
        balanceOf[id][to] += value;
        emit TransferSingle(msg.sender, address(0), to, id, value);
    }

    function setURI(uint256 id, string calldata value) external {
        require(msg.sender == minter, "not minter");
        emit URI(value, id);
    }

    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata) external {
        require(from == msg.sender, "not owner");
        _move(from, to, id, value);
        emit TransferSingle(msg.sender, from, to, id, value);
    }

    function safeBatchTransferFrom(address from, address to, uint256[] calldata ids, uint256[] calldata values, bytes calldata) external {
        require(from == msg.sender, "not owner");
        require(ids.length == values.length, "length mismatch");
        for (uint256 i = 0; i < ids.length; i++) {
            _move(from, to, ids[i], values[i]);
        }
        emit TransferBatch(msg.sender, from, to, ids, values);
    }

    function _move(address from, address to, uint256 id, uint256 value) private {
        require(balanceOf[id][from] >= value, "balance too low");
        balanceOf[id][from] -= value;
        balanceOf[id][to] += value;
    }
}
