/** A Dockerfile's stages by name: the image each starts FROM and the instructions below that line. */
export function dockerStages(dockerfile: string): Map<string, { from: string; instructions: string[] }> {
  const stages = new Map<string, { from: string; instructions: string[] }>();
  let current: string[] = [];
  for (const line of dockerfile.split('\n').map((text) => text.trim())) {
    const stage = /^FROM\s+(\S+)\s+AS\s+(\S+)$/i.exec(line);
    if (stage) stages.set(stage[2]!, { from: stage[1]!, instructions: (current = []) });
    else if (line && !line.startsWith('#')) current.push(line);
  }
  return stages;
}
