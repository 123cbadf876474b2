/** What every `archway` subcommand provides. */
export interface Command {
  /** One line for `archway --help`. */
  readonly summary: string;
  /** Full usage text for `archway <name> --help`. */
  readonly usage: string;
  /** Runs with the arguments after the command name; resolves to the exit status. */
  run(args: string[]): Promise<number>;
}

/** Thrown for bad command-line usage: printed as one line on stderr, exit status 2. */
export class UsageError extends Error {}
