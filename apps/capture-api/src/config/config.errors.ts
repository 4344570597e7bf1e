/** A configuration that cannot start the service. The message names the file, the entry and the field. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type PathPart = PropertyKey;

/** `accounts[1].settings.baseUrl` from ['accounts', 1, 'settings', 'baseUrl']. */
export function formatPath(path: readonly PathPart[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/**
 * One message for a problem at `path` of the config file. Inside an account, plugin or client the
 * entry's id is named too: `capture.yaml: accounts[1] "pe-us": settings.baseUrl: Invalid URL`.
 */
export function configProblem(file: string, path: readonly PathPart[], message: string, entryName?: string): ConfigError {
  const [section, index, ...rest] = path;
  if (typeof section === 'string' && typeof index === 'number') {
    const entry = `${section}[${index}]${entryName ? ` "${entryName}"` : ''}`;
    return new ConfigError(`${file}: ${entry}: ${rest.length ? `${formatPath(rest)}: ` : ''}${message}`);
  }
  return new ConfigError(`${file}: ${path.length ? `${formatPath(path)}: ` : ''}${message}`);
}
