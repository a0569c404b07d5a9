// The job-runner recipes in deploy/ stay in step with the CLI: every command they run parses as
// the step it means (an option renamed or removed fails here), the Indexed Job's --shards is its
// completions, and the shell scripts are valid bash. The Slurm recipe also runs for real in CI
// (.ci/slurm-run); the Kubernetes and AWS Batch ones cannot here (no cluster, no container engine).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';

const read = (path: string) => readFileSync(`deploy/${path}`, 'utf8');
/** The flow-style args: [...] lists of a manifest (JSON arrays), the $(VAR) references filled in. */
const argsOf = (yaml: string) => [...yaml.matchAll(/^\s*args: (\[.*\])$/gm)].map((m) => (JSON.parse(m[1]!) as string[]).map((a) => a.replace('$(RUN_ID)', '2026-12-02')));

describe('deploy recipes', () => {
  it('the Kubernetes map Job is an Indexed Job whose pods run map --shard-from-env with --shards = completions', () => {
    const yaml = read('kubernetes/map-job.yaml');
    const [args] = argsOf(yaml);
    const command = parseCommandLine(args!);
    expect(command).toMatchObject({ command: 'map', shard: { index: 'env', count: Number(/completions: (\d+)/.exec(yaml)![1]) } });
    expect(yaml).toMatch(/completionMode: Indexed/);
    expect(yaml).toMatch(/ReadWriteMany/);
  });

  it('the Kubernetes merge Job runs merge on the same work folder, findings not failing it', () => {
    const [args] = argsOf(read('kubernetes/merge-job.yaml'));
    expect(parseCommandLine(args!)).toMatchObject({ command: 'merge', work: '/data/work/2026-12-02', options: { failOn: 'none', outDir: '/data/reports' } });
    const [map] = argsOf(read('kubernetes/map-job.yaml'));
    expect(map![map!.indexOf('--work') + 1]).toBe('/data/work/2026-12-02');
  });

  it('the AWS Batch job definition is JSON with the shared volume mounted, and its submit script is valid bash that runs both steps', () => {
    const definition = JSON.parse(read('aws-batch/job-definition.json')) as { containerProperties: { mountPoints: Array<{ containerPath: string }> } };
    expect(definition.containerProperties.mountPoints[0]!.containerPath).toBe('/data');
    execFileSync('bash', ['-n', 'deploy/aws-batch/submit.sh']);
    const script = read('aws-batch/submit.sh');
    expect(script).toMatch(/--array-properties "size=\$SHARDS"/);
    expect(script).toMatch(/--depends-on "jobId=\$map"/);
    // The commands it submits, with the shell's variables filled in.
    const commands = [...script.matchAll(/"\{\\"command\\": \[(.*?)\]\}"/g)].map((m) =>
      JSON.parse(`[${m[1]!.replaceAll('\\"', '"').replace('$MAP_OPTIONS', '"--profile", "/data/config/profile.json",').replaceAll('$SHARDS', '64').replaceAll('$RUN_ID', 'r1')}]`) as string[],
    );
    expect(commands.map((c) => parseCommandLine(c).command)).toEqual(['map', 'merge']);
  });

  it('the Slurm scripts are valid bash and take the index from the array', () => {
    for (const file of ['slurm/map.sbatch', 'slurm/merge.sbatch', 'slurm/submit.sh']) execFileSync('bash', ['-n', `deploy/${file}`]);
    expect(read('slurm/map.sbatch')).toMatch(/map --shard-from-env --shards "\$SHARDS"/);
    expect(read('slurm/submit.sh')).toMatch(/--dependency="afterok:/);
  });
});

describe('--memory-budget', () => {
  it('is megabytes, on an audit and on merge; absent, the default holds', () => {
    expect(parseCommandLine(['samples', '--memory-budget', '16'])).toMatchObject({ command: 'audit', options: { memoryBudget: 16 * 1024 * 1024 } });
    expect(parseCommandLine(['samples', '--memory-budget', '0'])).toMatchObject({ options: { memoryBudget: 0 } });
    expect(parseCommandLine(['merge', '--work', 'w', '--memory-budget', '8'])).toMatchObject({ command: 'merge', options: { memoryBudget: 8 * 1024 * 1024 } });
    expect((parseCommandLine(['samples']) as { options: object }).options).not.toHaveProperty('memoryBudget');
    expect(() => parseCommandLine(['map', '--work', 'w', '--shard', '0/1', 'samples', '--memory-budget', '8'])).toThrow(/memory-budget/);
  });
});
