/** A one-line progress bar on stderr for bulk jobs (seed, import); silent when stderr is not a terminal. */
export function progress(label: string, total: number) {
  const tty = process.stderr.isTTY;
  let last = -1;
  const started = Date.now();
  return {
    tick(done: number) {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (pct === last) return;
      last = pct;
      if (tty) {
        const bar = '█'.repeat(Math.floor(pct / 4)).padEnd(25, '░');
        process.stderr.write(`\r${label} ${bar} ${pct}% (${done}/${total})`);
      } else if (pct % 25 === 0) {
        process.stderr.write(`${label} ${pct}% (${done}/${total})\n`);
      }
    },
    done() {
      if (tty)
        process.stderr.write(
          `\r${label} ${'█'.repeat(25)} 100% (${total}/${total}) ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
        );
    },
  };
}
