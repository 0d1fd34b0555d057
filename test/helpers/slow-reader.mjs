// A slow consumer at the far end of a pipe, as a pager or a busy script is: it copies standard
// input to standard output at most BYTES_PER_SECOND (the first argument), pausing after each
// chunk; with `--quit` it takes one chunk and exits, like `head`, so the writer gets EPIPE.
const rate = Number(process.argv[2] ?? '262144');
const quit = process.argv.includes('--quit');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

for await (const chunk of process.stdin) {
  if (quit) process.exit(0);
  process.stdout.write(chunk);
  await sleep((chunk.length / rate) * 1000);
}
