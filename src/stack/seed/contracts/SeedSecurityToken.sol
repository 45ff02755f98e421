// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// ERC-1400-style security token for the seeded chain. It emits both families of event
/// signatures found in the wild: the EIP spec / Polymath ones (ERC-1410, 1594, 1643, 1644) and the
/// ConsenSys UniversalToken variants of IssuedByPartition, RedeemedByPartition and
/// ChangedPartition, plus ERC-20 Transfer for every movement, as ConsenSys does.
contract SeedSecurityToken {
    string public name = "Ledgerflow Seed Security";
    string public symbol = "LFSEC";
    uint8 public decimals = 0;
    uint256 public totalSupply;
    address public controller;
    mapping(address => uint256) public balanceOf;
    mapping(bytes32 => mapping(address => uint256)) public balanceOfByPartition;
    mapping(bytes32 => string) private documentUri;
    mapping(bytes32 => bytes32) private documentHash;

    bytes32 public constant DEFAULT_PARTITION = bytes32("default");

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Issued(address indexed operator, address indexed to, uint256 value, bytes data);
    event Redeemed(address indexed operator, address indexed from, uint256 value, bytes data);
    event IssuedByPartition(bytes32 indexed partition, address indexed to, uint256 value, bytes data);
    event IssuedByPartition(bytes32 indexed partition, address indexed operator, address indexed to, uint256 value, bytes data, bytes operatorData);
    event RedeemedByPartition(bytes32 indexed partition, address indexed operator, address indexed from, uint256 value, bytes data, bytes operatorData);
    event RedeemedByPartition(bytes32 indexed partition, address indexed operator, address indexed from, uint256 value, bytes operatorData);
    event TransferByPartition(bytes32 indexed fromPartition, address operator, address indexed from, address indexed to, uint256 value, bytes data, bytes operatorData);
    event ChangedPartition(bytes32 indexed fromPartition, bytes32 indexed toPartition, uint256 value);
    event ControllerTransfer(address controller, address indexed from, address indexed to, uint256 value, bytes data, bytes operatorData);
    event ControllerRedemption(address controller, address indexed tokenHolder, uint256 value, bytes data, bytes operatorData);
    event DocumentUpdated(bytes32 indexed name, string uri, bytes32 documentHash);
    event DocumentRemoved(bytes32 indexed name, string uri, bytes32 documentHash);

    modifier onlyController() {
        require(msg.sender == controller, "not controller");
        _;
    }

    constructor() {
        controller = msg.sender;
    }

    function issue(address to, uint256 value, bytes calldata data) external onlyController {
        _mint(DEFAULT_PARTITION, to, value);
        emit Issued(msg.sender, to, value, data);
    }

    function issueByPartition(bytes32 partition, address to, uint256 value, bytes calldata data) external onlyController {
        _mint(partition, to, value);
        emit IssuedByPartition(partition, to, value, data);
    }

    function operatorIssueByPartition(bytes32 partition, address to, uint256 value, bytes calldata data, bytes calldata operatorData) external onlyController {
        _mint(partition, to, value);
        emit IssuedByPartition(partition, msg.sender, to, value, data, operatorData);
    }

    function redeem(uint256 value, bytes calldata data) external {
        _burn(DEFAULT_PARTITION, msg.sender, value);
        emit Redeemed(msg.sender, msg.sender, value, data);
    }

    function redeemByPartition(bytes32 partition, uint256 value, bytes calldata data) external {
        _burn(partition, msg.sender, value);
        emit RedeemedByPartition(partition, msg.sender, msg.sender, value, data, "");
    }

    function operatorRedeemByPartition(bytes32 partition, address from, uint256 value, bytes calldata operatorData) external onlyController {
        _burn(partition, from, value);
        emit RedeemedByPartition(partition, msg.sender, from, value, operatorData);
    }

    function transferByPartition(bytes32 partition, address to, uint256 value, bytes calldata data) external returns (bytes32) {
        _move(partition, partition, msg.sender, to, value);
        emit TransferByPartition(partition, msg.sender, msg.sender, to, value, data, "");
        return partition;
    }

    function changePartition(address holder, bytes32 fromPartition, bytes32 toPartition, uint256 value) external onlyController {
        _move(fromPartition, toPartition, holder, holder, value);
        emit ChangedPartition(fromPartition, toPartition, value);
    }

    function controllerTransfer(address from, address to, uint256 value, bytes calldata data, bytes calldata operatorData) external onlyController {
        _move(DEFAULT_PARTITION, DEFAULT_PARTITION, from, to, value);
        emit ControllerTransfer(msg.sender, from, to, value, data, operatorData);
    }

    function controllerRedeem(address tokenHolder, uint256 value, bytes calldata data, bytes calldata operatorData) external onlyController {
        _burn(DEFAULT_PARTITION, tokenHolder, value);
        emit ControllerRedemption(msg.sender, tokenHolder, value, data, operatorData);
    }

    function setDocument(bytes32 docName, string calldata uri, bytes32 docHash) external onlyController {
        documentUri[docName] = uri;
        documentHash[docName] = docHash;
        emit DocumentUpdated(docName, uri, docHash);
    }

    function removeDocument(bytes32 docName) external onlyController {
        string memory uri = documentUri[docName];
        bytes32 docHash = documentHash[docName];
        require(bytes(uri).length > 0, "no such document");
        delete documentUri[docName];
        delete documentHash[docName];
        emit DocumentRemoved(docName, uri, docHash);
    }

    function getDocument(bytes32 docName) external view returns (string memory, bytes32) {
        return (documentUri[docName], documentHash[docName]);
    }

    function _mint(bytes32 partition, address to, uint256 value) private {
        totalSupply += value;
        balanceOf[to] += value;
        balanceOfByPartition[partition][to] += value;
        emit Transfer(address(0), to, value);
    }

    function _burn(bytes32 partition, address from, uint256 value) private {
        require(balanceOfByPartition[partition][from] >= value, "partition balance too low");
        balanceOfByPartition[partition][from] -= value;
        balanceOf[from] -= value;
        totalSupply -= value;
        emit Transfer(from, address(0), value);
    }

    function _move(bytes32 fromPartition, bytes32 toPartition, address from, address to, uint256 value) private {
        require(balanceOfByPartition[fromPartition][from] >= value, "partition balance too low");
        balanceOfByPartition[fromPartition][from] -= value;
        balanceOfByPartition[toPartition][to] += value;
        if (from != to) {
            balanceOf[from] -= value;
            balanceOf[to] += value;
            emit Transfer(from, to, value);
        }
    }
}
