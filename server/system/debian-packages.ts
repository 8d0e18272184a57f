import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Debian packages the product runs on: the database, GDAL (imports and exports) and Chromium with CJK
 * fonts (PDF reports). The test suite also reads PDFs back (poppler-utils: pdftotext, pdftoppm).
 */
export const RUNTIME_PACKAGES = ['postgresql-15', 'postgresql-15-postgis-3', 'gdal-bin', 'chromium', 'fonts-noto-cjk'] as const;
export const TEST_PACKAGES = ['chromium', 'fonts-noto-cjk', 'poppler-utils'] as const;

export function missingPackages(packages: readonly string[]): string[] {
  return packages.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

export function installCommand(packages: readonly string[]): string {
  return `sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages.join(' ')}`;
}

/**
 * Installs missing Debian packages when running as root (a fresh CI machine or container), unless
 * `BIAOTU_NO_INSTALL=1`. Otherwise stops with the exact command a person must run, because a
 * half-provisioned machine fails later with far less helpful errors.
 */
export function ensureDebianPackages(packages: readonly string[], log: (line: string) => void = console.log): void {
  const missing = missingPackages(packages);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || process.env.BIAOTU_NO_INSTALL === '1') {
    throw new Error(
      `缺少系统软件包 / missing Debian packages: ${missing.join(', ')}.\n` +
        `请运行 / run:\n  ${installCommand(missing)}\nthen start again.`,
    );
  }
  log(`正在安装系统软件包 / installing Debian packages: ${missing.join(' ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  const stillMissing = missingPackages(missing);
  if (stillMissing.length > 0) throw new Error(`apt-get did not install: ${stillMissing.join(', ')}`);
}
