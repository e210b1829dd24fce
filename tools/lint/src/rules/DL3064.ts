import { defineRule, hit, instructions } from '../rule';

const KNOWN = new Set([
  'ACCESS_TOKEN',
  'APPLICATION_KEY',
  'APP_SECRET',
  'AUTH_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'CI_DEPLOY_PASSWORD',
  'CI_DEPLOY_USER',
  'DOCKERHUB_PASSWORD',
  'DOCKER_EMAIL',
  'DOCKER_PASSWORD',
  'DOCKER_USERNAME',
  'GH_ENTERPRISE_TOKEN',
  'GH_TOKEN',
  'GITHUB_ENTERPRISE_TOKEN',
  'GITHUB_TOKEN',
  'HEROKU_API_KEY',
  'NPM_AUTH_TOKEN',
  'NPM_TOKEN',
  'OPENAI_API_KEY',
  'OS_PASSWORD',
  'OS_USERNAME',
  'POSTGRES_PASSWORD',
  'SLACK_TOKEN',
  'STRIPE_API_KEY',
  'VAULT_CLIENT_KEY',
  'VAULT_TOKEN',
]);
const SUSPICIOUS = ['api_key', 'client_key', 'password', 'private', 'secret', 'token', 'username'];

export const isSensitiveName = (name: string) =>
  KNOWN.has(name.toUpperCase()) || SUSPICIOUS.some((part) => name.toLowerCase().includes(part));

export const DL3064 = defineRule({
  code: 'DL3064',
  severity: 'warning',
  doc: 'ARG and ENV must not carry secrets: build arguments and environment stay readable in the image.',
  message: 'Potentially sensitive data should not be used in the `ARG` or `ENV` commands',
  *check({ doc }) {
    for (const instruction of instructions(doc, 'ARG', 'ENV')) {
      const properties = (
        instruction.node as unknown as {
          getProperties(): {
            getName(): string;
            getNameRange(): { start: { line: number; character: number } };
          }[];
        }
      ).getProperties();
      for (const property of properties) {
        if (!isSensitiveName(property.getName())) continue;
        const start = property.getNameRange().start;
        yield hit(
          { line: start.line, column: start.character },
          `Potentially sensitive data should not be used in the \`ARG\` or \`ENV\` commands: ${property.getName()}`,
        );
      }
    }
  },
});
