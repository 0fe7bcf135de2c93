/** Resident memory of a process and all its descendants (Linux /proc), in bytes. */
export function treeRss(rootPid: number): number;
