/**
 * Where saved connection passwords live. The desktop app uses the operating system's secret
 * store (Electron safeStorage: Keychain, DPAPI, libsecret/kwallet); hosts without one keep
 * passwords for the session only. The workspace file only ever holds what encrypt() returns.
 */
export interface SecretStore {
  /** Shown to the analyst, e.g. "macOS Keychain" or "this session only". */
  readonly description: string;
  /** False: passwords are not written anywhere and last until the app closes. */
  readonly persistent: boolean;
  encrypt(text: string): Buffer;
  decrypt(data: Buffer): string;
}

export const sessionOnlySecrets: SecretStore = {
  description: 'this session only (no OS secret store here)',
  persistent: false,
  encrypt: () => {
    throw new Error('no secret store');
  },
  decrypt: () => {
    throw new Error('no secret store');
  },
};
