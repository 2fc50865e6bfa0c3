import 'reflect-metadata';
import os from 'node:os';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { AuditRepository } from '../audit/audit.repository';
import { AppError } from '../common/errors';
import { ConfigError, loadConfig, redactUrl } from '../config/config';
import { openDatabase } from '../database/connect';
import { createDataSource, migrate } from '../database/data-source';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';

/**
 * npm run user -- create-admin --username NAME [--display-name 姓名]
 * npm run user -- reset-password --username NAME
 *
 * Creates the first administrator (or sets a user's password) in the database of DATABASE_URL, else the embedded one.
 * The password is read from the terminal without echo, or from the first line of standard input when piped.
 */
const USAGE = `用法 (usage):
  npm run user -- create-admin --username NAME [--display-name 姓名]   新建系统管理员 (create an administrator)
  npm run user -- reset-password --username NAME                     重设密码 (set a user's password)
密码从终端输入（不回显），或从标准输入的第一行读取 (the password is typed, or piped on standard input).`;

/** The password: typed without echo on a terminal, else the first line of standard input. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
    if (!line) throw new Error('没有读到密码 (no password on standard input)');
    return line;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  process.stdout.write(prompt);
  // no echo: the typed characters are not written back
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  return new Promise((resolve, reject) => {
    rl.once('line', (line) => {
      rl.close();
      process.stdout.write('\n');
      resolve(line);
    });
    rl.once('close', () => reject(new Error('没有读到密码 (no password typed)')));
  });
}

async function main(): Promise<number> {
  let positionals: string[];
  let values: { username?: string; 'display-name'?: string; help?: boolean };
  try {
    ({ positionals, values } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { username: { type: 'string' }, 'display-name': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    console.error(`参数无效 (invalid arguments): ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const command = positionals[0];
  if (values.help || (command !== 'create-admin' && command !== 'reset-password') || !values.username) {
    if (!values.help) console.error(command && !['create-admin', 'reset-password'].includes(command) ? `未知命令 (unknown command): ${command}` : '缺少参数 --username (missing --username)');
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const password = await readPassword('密码 (password): ');
  const config = loadConfig();
  const db = await openDatabase(config);
  const ds = createDataSource(db.url, 2);
  try {
    await ds.initialize();
    await migrate(ds);
    const repo = new AuthRepository(ds);
    const auth = new AuthService(repo, new AuditRepository(ds), config);
    const actor = `cli:${os.userInfo().username}`;
    if (command === 'create-admin') {
      const r = await auth.ensureUser({ username: values.username, displayName: values['display-name'] ?? values.username, role: 'admin', password }, actor);
      if (!r.created) {
        console.error(`用户 ${values.username} 已存在（${r.user.roleLabel}）；要改密码请用 reset-password (the user exists)`);
        return 2;
      }
      console.log(`已新建系统管理员 ${r.user.username} (administrator created) — ${redactUrl(db.url)}`);
    } else {
      const found = await repo.credentials(values.username);
      if (!found) {
        console.error(`用户 ${values.username} 不存在 (unknown user)`);
        return 3;
      }
      await auth.resetPassword(found.user.id, password, actor);
      console.log(`已重设 ${found.user.username} 的密码，其已登录的会话均已退出 (password set; their sessions ended)`);
    }
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      console.error(e.message.replace(/body\.|password: /g, ''));
      return 2;
    }
    throw e;
  } finally {
    await ds.destroy().catch(() => undefined);
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof ConfigError ? e.message : `失败 (failed): ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
