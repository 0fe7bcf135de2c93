import { describe, expect, it } from 'vitest';
import { NamedProfileSchema } from './contract';
import { profileNameProblem } from './profile-rules';

describe('profileNameProblem: the form checks names by the rule the backend applies', () => {
  it('says what is wrong and suggests a name the backend takes', () => {
    expect(profileNameProblem('birds exec')).toBe('Use letters, digits, - and _ only (not spaces); e.g. birds_exec.');
    expect(profileNameProblem('q1/q2 é')).toBe("Use letters, digits, - and _ only (not '/', spaces, 'é'); e.g. q1_q2_.");
    expect(profileNameProblem('  ')).toBe('Give the profile a name.');
    expect(profileNameProblem('x'.repeat(65))).toBe('At most 64 characters (this one has 65).');
    expect(profileNameProblem('birds_exec-2')).toBeNull();
  });

  it('accepts exactly the names the API schema accepts', () => {
    for (const name of ['birds exec', 'a', 'x'.repeat(64), 'x'.repeat(65), 'a.b', 'ok_1-2', 'ünï', ''])
      expect(profileNameProblem(name) === null).toBe(NamedProfileSchema.safeParse({ name, profile: {} }).success);
  });
});
