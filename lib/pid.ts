// Whether a process id is alive on this host: what the part-dir cleanup, the schedule lock and the status document
// each ask before treating something a process left behind as abandoned.

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user holds that pid, so it is alive
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
