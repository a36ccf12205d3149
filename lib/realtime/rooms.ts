/** Socket.IO room names, built in one place so no two call sites disagree. */
export const conversationRoom = (conversationId: string): string =>
  `conversation:${conversationId}`;
export const userRoom = (userId: string): string => `user:${userId}`;
