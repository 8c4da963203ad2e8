// Reads a Dify event stream to its end: the events that arrived, and the error it ended with (if any).
export async function drainStream<E>(stream: AsyncIterable<E>): Promise<{ events: E[]; error: unknown }> {
  const events: E[] = [];
  try {
    for await (const e of stream) events.push(e);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}
