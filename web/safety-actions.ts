import type { RestApi } from "../client/src/index";
import type { MessageActions } from "./views/message-item";
import { ReportDialog } from "./views/report-dialog";

/**
 * The message actions plus Report and Block (on other people's messages). Blocking hides
 * the person's messages here at once; their history comes back collapsed on the next load.
 * Depends on nothing but the RestApi and the actions, so any screen can wire it.
 */
type ShownMessage = Parameters<MessageActions["remove"]>[0];
export function withSafetyActions(
  base: MessageActions,
  deps: { rest: RestApi; flash(message: string): void; blocked(userId: string): void },
): MessageActions {
  const reports = new ReportDialog(deps.rest, deps.flash);
  const actions: MessageActions = Object.create(base);
  actions.report = (message: ShownMessage) => reports.open(message.id);
  actions.block = (message: ShownMessage) => {
    const name = base.userName(message.sender_id);
    if (!confirm(`Block ${name}? They will not be told.`)) return;
    deps.rest.block(message.sender_id).then(
      () => {
        deps.blocked(message.sender_id);
        deps.flash(`${name} is blocked.`);
      },
      (error: Error) => deps.flash(error.message),
    );
  };
  return actions;
}
