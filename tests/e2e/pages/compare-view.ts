import type { Locator, Page } from 'playwright-core';
import { pickOption } from './selects';

/** The Compare tool: two runs side by side and the movers between them. */
export class CompareView {
  readonly view: Locator;
  readonly moverRows: Locator;
  /** The cells marked as going up, and down, in the movers table. */
  readonly ups: Locator;
  readonly downs: Locator;

  constructor(readonly page: Page) {
    this.view = page.locator('[data-test=compare-view]');
    this.moverRows = page.locator('[data-test=movers-table] tbody tr');
    this.ups = this.moverRows.locator('.up');
    this.downs = this.moverRows.locator('.down');
  }

  /** The refusal shown before running, for two runs that cannot be compared; the Compare button. */
  get mismatch(): Locator {
    return this.page.locator('[data-test=compare-mismatch]');
  }
  get goButton(): Locator {
    return this.page.locator('[data-test=compare-go]');
  }
  /** The biggest mover's change, coloured by its direction. */
  get topMover(): Locator {
    return this.page.locator('[data-test=compare-top-mover]');
  }
  /** The movers' names, in the order shown. */
  segments(): Promise<string[]> {
    return this.moverRows.locator('td:first-child').allInnerTexts();
  }

  /** Pixels of the movers chart in the rising colour (green) and the falling one (red), light theme. */
  barColours(): Promise<{ green: number; red: number }> {
    return this.page.locator('[data-test=compare-chart] canvas').evaluate((el) => {
      const canvas = el as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const near = (i: number, [r, g, b]: number[]) =>
        Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 30;
      let green = 0;
      let red = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (near(i, [0x1f, 0x8a, 0x4c])) green++;
        else if (near(i, [0xc2, 0x3b, 0x3b])) red++;
      }
      return { green, red };
    });
  }

  /** Ranks the movers by the metric's change or by record share. */
  async rankBy(by: 'metric' | 'share'): Promise<void> {
    await this.page.locator(`[data-test=compare-rank-${by}]`).click();
  }

  /** Picks two runs without comparing them. */
  async pick(base: string, next: string): Promise<void> {
    await pickOption(this.page, 'compare-base', base);
    await pickOption(this.page, 'compare-new', next);
  }

  /** Opens Compare from the run shown ("Compare with…"). */
  async openFromRun(): Promise<void> {
    await this.page.locator('[data-test=compare-with]').click();
    await this.view.waitFor();
  }

  /** Compares two runs, by their titles, and waits for the result. */
  async compare(base: string, next: string): Promise<void> {
    await pickOption(this.page, 'compare-base', base);
    await pickOption(this.page, 'compare-new', next);
    await this.page.locator('[data-test=compare-go]').click();
    await this.page.locator('[data-test=compare-result]').waitFor();
  }
}
