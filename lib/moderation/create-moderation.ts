import type { Config } from "../../config/load-config";
import type { IntegrationMetrics } from "../integration-metrics";
import type { Logger } from "../logger";
import { HttpModerator } from "./http-moderator";
import { ModerationPipeline, Moderator } from "./moderation";
import { WordListModerator } from "./word-list-moderator";

/**
 * The configured moderation (word list first, then the hook), or undefined when neither is
 * configured: sends then skip moderation entirely.
 */
export function createModeration(
  config: Config["moderation"],
  logger: Logger,
  metrics?: IntegrationMetrics,
): ModerationPipeline | undefined {
  const moderators: Moderator[] = [];
  if (config.word_list.length > 0) {
    moderators.push(new WordListModerator(config.word_list, config.word_list_action));
  }
  if (config.url) {
    moderators.push(
      new HttpModerator(config.url, config.secret, config.timeout, config.on_failure),
    );
  }
  if (moderators.length === 0) return undefined;
  return new ModerationPipeline(moderators, logger.child({ module: "moderation" }), metrics);
}
