/** What the package says about itself holds: its licence file matches package.json, and it ships the examples its pages use. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string; files: string[] };

describe('the package', () => {
  it('has a LICENSE with the licence package.json names, for the lbsim authors', () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync('LICENSE', 'utf8');
    expect(license.split('\n')[0]).toBe('MIT License');
    expect(license).toContain('Copyright (c) 2026 the lbsim authors');
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('ships examples/ (README.md points users there)', () => {
    expect(pkg.files).toContain('examples');
    expect(readFileSync('README.md', 'utf8')).toContain('examples/upstream.conf');
  });
});
