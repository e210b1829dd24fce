import { atArgument, atWord, defineRule, flagValues, hit, instructions, runs } from '../rule';
import type { Position } from '../types';
import type { ShellCommand } from '../shell';

type Privilege = 'sudo' | 'docker-group' | 'setuid' | 'capabilities';

const SETUID_MODE = /^([ugoa]*\+[rwxXt]*s|[0-7]?[2-7][0-7]{3})$/;

/** Groups a user is added to by usermod -aG, useradd -G, gpasswd -a, adduser USER GROUP. */
function groupsAdded(command: ShellCommand): string[] {
  const values = command.args.map((arg) => arg.value);
  if (command.name === 'usermod' || command.name === 'useradd')
    return flagValues(command, 'G', 'groups').flatMap((list) => list.split(','));
  if (command.name === 'gpasswd' && (values.includes('-a') || values.includes('--add')))
    return values.slice(-1);
  if (
    (command.name === 'adduser' || command.name === 'addgroup') &&
    values.filter((v) => !v.startsWith('-')).length === 2
  )
    return values.slice(-1);
  return [];
}

function grantsOf(command: ShellCommand): Privilege[] {
  const found: Privilege[] = [];
  const groups = groupsAdded(command);
  if (groups.includes('docker')) found.push('docker-group');
  if (groups.some((group) => group === 'sudo' || group === 'wheel')) found.push('sudo');
  if (command.name === 'chmod' && command.args.some((arg) => SETUID_MODE.test(arg.value)))
    found.push('setuid');
  if (command.name === 'setcap') found.push('capabilities');
  if (
    ['tee', 'cp', 'install', 'mv', 'ln'].includes(command.name) &&
    command.args.some((arg) => arg.value.startsWith('/etc/sudoers'))
  )
    found.push('sudo');
  return found;
}

export const IL1008 = defineRule({
  code: 'IL1008',
  severity: 'error',
  doc: 'A layer that grants a privilege (sudoers, docker group, setuid, capabilities) declares it in layer.json "grants".',
  message: 'A privilege grant the layer does not declare',
  *check({ doc, unitAt }) {
    const grants: { privilege: Privilege; at: Position; line: number }[] = [];
    for (const { instruction, run } of runs(doc)) {
      for (const command of run.shell.commands)
        for (const privilege of grantsOf(command))
          grants.push({ privilege, at: atWord(run, command.word), line: instruction.line });
      const redirect = /(>>?|NOPASSWD)\s*\/etc\/sudoers|NOPASSWD/.exec(run.shell.source);
      if (redirect) grants.push({ privilege: 'sudo', at: run.at(redirect.index), line: instruction.line });
    }
    for (const copy of instructions(doc, 'COPY', 'ADD')) {
      const args = copy.node.getArguments();
      const destination = args.at(-1);
      if (args.length >= 2 && destination?.getValue().startsWith('/etc/sudoers'))
        grants.push({ privilege: 'sudo', at: atArgument(destination), line: copy.line });
      const mode = copy.flags.find((flag) => flag.name === 'chmod')?.value;
      if (mode && SETUID_MODE.test(mode))
        grants.push({ privilege: 'setuid', at: atArgument(args[0] ?? destination!), line: copy.line });
    }
    const seen = new Set<string>();
    for (const grant of grants) {
      const unit = unitAt(grant.line);
      if (!unit || unit.grants?.includes(grant.privilege) || seen.has(`${grant.line}:${grant.privilege}`))
        continue;
      seen.add(`${grant.line}:${grant.privilege}`);
      yield hit(
        grant.at,
        unit.kind === 'layer'
          ? `This grants the ${grant.privilege} privilege, which layer "${unit.name}" does not declare: add { "privilege": "${grant.privilege}", "why": "..." } to its layer.json "grants", or remove the grant`
          : `This grants the ${grant.privilege} privilege in image "${unit.name}"'s own fragment: move it into a layer that declares it in "grants"`,
      );
    }
  },
});
