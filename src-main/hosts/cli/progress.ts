/** A one-line progress bar on stderr, only when stderr is a terminal (pipelines stay clean). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const active = stream.isTTY === true;
  let shown = false;
  return {
    update: (fraction: number, stage: string) => {
      if (!active) return;
      const width = 24;
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${stage.padEnd(20)}`,
      );
      shown = true;
    },
    done: () => {
      if (active && shown) stream.write('\r\x1b[2K');
    },
  };
}
