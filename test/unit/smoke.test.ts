import { strict as assert } from 'assert';
describe('toolchain', () => {
  it('runs TypeScript tests through tsx', () => {
    const n: number = [1, 2, 3].reduce((a, b) => a + b, 0);
    assert.equal(n, 6);
  });
});
