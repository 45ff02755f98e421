export interface BytecodeAnalysis {
  functionSighashes: string[];
  isErc20: boolean;
  isErc721: boolean;
}

const ERC20 = ['0x18160ddd', '0x70a08231', '0xa9059cbb', '0x23b872dd', '0x095ea7b3', '0xdd62ed3e'];
const ERC721_ALL = ['0x70a08231', '0x6352211e', '0x095ea7b3'];
const ERC721_ANY = ['0xa9059cbb', '0x23b872dd'];

/**
 * ethereum-etl's contract detection (spec 3.2), limitation included: only PUSH4 operands before
 * the first JUMPDEST count, so masks like 0xffffffff appear and modern dispatchers are missed.
 * Changing that would change function_sighashes, is_erc20 and the tokens derived from them.
 */
export function analyzeBytecode(bytecode: string | null | undefined): BytecodeAnalysis {
  const functionSighashes = functionSighashesOf(bytecode);
  const has = new Set(functionSighashes);
  return {
    functionSighashes,
    isErc20: ERC20.every((sig) => has.has(sig)),
    isErc721: ERC721_ALL.every((sig) => has.has(sig)) && ERC721_ANY.some((sig) => has.has(sig)),
  };
}

export function functionSighashesOf(bytecode: string | null | undefined): string[] {
  return push4Operands(bytecode, { stopAtJumpdest: true });
}

/**
 * Token standards detected from every PUSH4 operand in the code, not only the first basic block.
 * Modern solc dispatchers sit behind a JUMPDEST, so ethereum-etl's flags miss most tokens deployed
 * since 2018; the `tokens` entity uses this wider test to choose which contracts to read metadata
 * for, while `contracts` keeps ethereum-etl's columns byte for byte.
 */
export function looksLikeToken(bytecode: string | null | undefined): boolean {
  const has = new Set(push4Operands(bytecode, { stopAtJumpdest: false }));
  const erc20 = ERC20.every((sig) => has.has(sig));
  const erc721 = ERC721_ALL.every((sig) => has.has(sig)) && ERC721_ANY.some((sig) => has.has(sig));
  return erc20 || erc721;
}

function push4Operands(bytecode: string | null | undefined, options: { stopAtJumpdest: boolean }): string[] {
  if (bytecode === null || bytecode === undefined || bytecode === '0x') return [];
  let hex = bytecode.startsWith('0x') ? bytecode.slice(2) : bytecode;
  // The reference disassembler strips a second prefix; one unit case starts with 0x0x.
  if (hex.startsWith('0x')) hex = hex.slice(2);
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError(`bytecode is not even-length hex: ${bytecode.slice(0, 40)}...`);
  }
  const code = Buffer.from(hex, 'hex');
  const found = new Set<string>();
  let pc = 0;
  while (pc < code.length) {
    const op = code[pc] as number;
    if (op === 0x5b && options.stopAtJumpdest) break;
    if (op >= 0x60 && op <= 0x7f) {
      const size = op - 0x5f;
      if (pc + 1 + size > code.length) break;
      if (op === 0x63) found.add(`0x${code.subarray(pc + 1, pc + 5).toString('hex')}`);
      pc += 1 + size;
    } else {
      pc += 1;
    }
  }
  return [...found].sort();
}
