import { safeStorage } from 'electron';
import { sessionOnlySecrets, type SecretStore } from '../services/secrets';

/**
 * The OS secret store through Electron's safeStorage (Keychain on macOS, DPAPI on Windows,
 * libsecret or kwallet on Linux). On Linux without a keyring safeStorage falls back to a fixed
 * key ("basic_text"), which protects nothing: then passwords are kept for the session only.
 */
export function electronSecretStore(): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return sessionOnlySecrets;
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') return sessionOnlySecrets;
  }
  const description =
    process.platform === 'darwin'
      ? 'the macOS Keychain'
      : process.platform === 'win32'
        ? 'Windows DPAPI'
        : `the desktop keyring (${safeStorage.getSelectedStorageBackend()})`;
  return {
    description,
    persistent: true,
    encrypt: (text) => safeStorage.encryptString(text),
    decrypt: (data) => safeStorage.decryptString(data),
  };
}
