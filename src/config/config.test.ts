import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, ensureSecret, loadConfig } from './config.js';

describe('configuration', () => {
  it('has defaults that start Ruche on 127.0.0.1:8080 with SQLite in ./data', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBe('');
    expect(config.dataDir).toMatch(/data$/);
    expect(config.publicUrl).toBe('http://127.0.0.1:8080');
  });

  it('stops on an invalid value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ RUCHE_PUBLIC_URL: 'not a url' })).toThrow(/RUCHE_PUBLIC_URL/);
    expect(() => loadConfig({ RUCHE_SECRET: 'short' })).toThrow(/RUCHE_SECRET/);
    expect(() => loadConfig({ RUCHE_LOG_LEVEL: 'loud' })).toThrow(/RUCHE_LOG_LEVEL/);
  });

  it('reads secrets from *_FILE and options from a config file, the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruche-config-'));
    writeFileSync(join(dir, 'secret'), 'a-secret-from-a-file-123\n');
    writeFileSync(join(dir, 'ruche.json'), JSON.stringify({ PORT: 9000, HOST: '0.0.0.0' }));
    const config = loadConfig({ RUCHE_SECRET_FILE: join(dir, 'secret'), RUCHE_CONFIG: join(dir, 'ruche.json'), HOST: '127.0.0.2' });
    expect(config.secret).toBe('a-secret-from-a-file-123');
    expect(config.port).toBe(9000);
    expect(config.host).toBe('127.0.0.2');
    expect(config.sources.PORT).toBe('config file');
    expect(() => loadConfig({ RUCHE_CONFIG: join(dir, 'ruche.json.missing') })).toThrow(/RUCHE_CONFIG/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ PROT: 1 }));
    expect(() => loadConfig({ RUCHE_CONFIG: join(dir, 'bad.json') })).toThrow(/unknown option PROT/);
  });

  it('redacts secrets when printing the configuration', () => {
    const config = loadConfig({ RUCHE_SECRET: 'super-secret-value-42', DATABASE_URL: 'postgres://ruche:hunter2@db/ruche' });
    const printed = JSON.stringify(describeConfig(config));
    expect(printed).not.toContain('super-secret-value-42');
    expect(printed).not.toContain('hunter2');
    expect(printed).toContain('postgres://ruche:***@db/ruche');
  });

  it('checks and redacts the SMTP URL, and derives a sender when none is given', () => {
    const config = loadConfig({ RUCHE_SMTP_URL: 'smtps://mailer:p%40ss-w0rd@mail.example.org:465', RUCHE_PUBLIC_URL: 'https://ruche.example.org' });
    expect(config.smtpUrl).toBe('smtps://mailer:p%40ss-w0rd@mail.example.org:465');
    expect(config.mailFrom).toBe('Ruche <noreply@ruche.example.org>');
    const printed = JSON.stringify(describeConfig(config));
    expect(printed).not.toContain('p%40ss');
    expect(printed).toContain('smtps://mailer:***@mail.example.org:465');
    expect(loadConfig({}).mailFrom).toBe('Ruche <noreply@localhost>');
    expect(loadConfig({ RUCHE_MAIL_FROM: 'Les Chatons <ruche@chatons.example>' }).mailFrom).toBe('Les Chatons <ruche@chatons.example>');
    expect(() => loadConfig({ RUCHE_SMTP_URL: 'http://user:secret@mail.example.org' })).toThrow(/RUCHE_SMTP_URL: only smtp/);
    expect(() => loadConfig({ RUCHE_SMTP_URL: 'smtp://user:secret@ bad' })).toThrow(/^RUCHE_SMTP_URL: not a valid URL/);
    try { loadConfig({ RUCHE_SMTP_URL: 'smtp://user:secret@ bad' }); } catch (error) { expect(String(error)).not.toContain('secret'); }
    expect(() => loadConfig({ RUCHE_MAIL_FROM: 'not an address' })).toThrow(/RUCHE_MAIL_FROM/);
  });

  it('generates a secret once into the data folder and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ruche-secret-'));
    const config = loadConfig({ RUCHE_DATA_DIR: dir });
    const first = ensureSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(ensureSecret(config)).toBe(first);
    expect(readFileSync(join(dir, 'secret'), 'utf8').trim()).toBe(first);
  });
});
