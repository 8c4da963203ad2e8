// What `npm run dify-server` and `npm run try` share on their command line: the test Dify server's port, one name for
// both (`--port N` or DIFY_PORT=N, default 5001), and a one-line answer when that port is taken.

/** `--name value` or `--name=value` from the command line. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

export const DEFAULT_PORT = 5001;

/** The port the test Dify server listens on; exits with a message when it is not a port number. */
export function portArg(): number {
  const value = argValue('--port') ?? process.env.DIFY_PORT ?? String(DEFAULT_PORT);
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port: ${value} (--port N or DIFY_PORT=N, 0 for any free port)`);
    process.exit(2);
  }
  return port;
}

/** One line for a listen error: a busy port says how to pick another; anything else is shown as it is. */
export function listenProblem(e: unknown, port: number, script: string): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `Port ${port} is in use (another test Dify server?). Pick another: npm run ${script} -- --port ${port + 1}   (or DIFY_PORT=${port + 1})`;
  if (code === 'EACCES') return `Port ${port} needs privileges here. Pick another: npm run ${script} -- --port ${DEFAULT_PORT}   (or DIFY_PORT=${DEFAULT_PORT})`;
  return undefined;
}
