import { v5 as uuidv5 } from "uuid";
import { loadConfig } from "../../config/load-config";
import { resolveJwtSecret } from "../auth/jwt-secret";
import { TokenService } from "../auth/tokens";
import { createLogger } from "../logger";

/**
 * `npm run token -- <username>`: prints a token for trying the service from a shell.
 * It asks the running service for that user's id; an unknown user gets a token for a new
 * id, and the service creates the user on first sight (as for any external token).
 */
const CLI_NAMESPACE = "0d5c46ae-7d65-45ce-9a1b-6f2d3e4c5b6a";

async function lookUpUserId(
  baseUrl: string,
  tokens: TokenService,
  username: string,
): Promise<string | undefined> {
  const probe = tokens.issue(uuidv5("token-cli", CLI_NAMESPACE), "token-cli");
  try {
    const response = await fetch(
      `${baseUrl}/api/v1/users?q=${encodeURIComponent(username)}&limit=100`,
      {
        headers: { authorization: `Bearer ${probe}` },
        signal: AbortSignal.timeout(2000),
      },
    );
    if (!response.ok) return undefined;
    const body = (await response.json()) as { data: { id: string; username: string }[] };
    return body.data.find((user) => user.username === username)?.id;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const username = process.argv[2];
  if (!username) {
    console.error("usage: npm run token -- <username>");
    process.exit(2);
  }
  const config = loadConfig();
  const logger = createLogger({ level: "error", format: "json" });
  const tokens = new TokenService(resolveJwtSecret(config, logger), config.auth.token_expiry);
  const baseUrl = `http://127.0.0.1:${config.server.http_port}`;
  const userId = (await lookUpUserId(baseUrl, tokens, username)) ?? uuidv5(username, CLI_NAMESPACE);
  console.log(tokens.issue(userId, username));
}

void main();
