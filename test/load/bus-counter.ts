/**
 * Cluster bus messages the service's nodes received, summed over nodes, from their
 * /metrics (`messaging_cluster_bus_messages_received_total`): the cross-node work of a
 * phase is the difference of two reads. Null when a node cannot be read.
 */
export async function readBusReceived(urls: string[]): Promise<number | null> {
  let total = 0;
  for (const url of urls) {
    try {
      const text = await (await fetch(`${url}/metrics`)).text();
      const line = /^messaging_cluster_bus_messages_received_total (\d+)$/m.exec(text);
      if (!line) return null;
      total += Number(line[1]);
    } catch {
      return null;
    }
  }
  return total;
}

/** One measured phase's cross-node cost. */
export interface PhaseBus {
  label: string;
  busMessages: number;
  persisted: number;
  delivered: number;
  perPersistedMessage: number | null;
  perDelivery: number | null;
}

export function phaseBus(
  label: string,
  busMessages: number,
  persisted: number,
  delivered: number,
): PhaseBus {
  const ratio = (n: number) => (n > 0 ? Math.round((busMessages / n) * 1000) / 1000 : null);
  return {
    label,
    busMessages,
    persisted,
    delivered,
    perPersistedMessage: ratio(persisted),
    perDelivery: ratio(delivered),
  };
}
