/** One tRPC call over plain HTTP, as any client would make it, with the status and headers of the answer. */
export interface TrpcAnswer<TData = unknown> {
  status: number;
  headers: Headers;
  data?: TData;
  error?: { message: string; data?: { httpStatus?: number; appCode?: string } };
}

export type ProcedureType = 'query' | 'mutation';

export async function callTrpc<TData = unknown>(
  baseUrl: string,
  path: string,
  type: ProcedureType,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<TrpcAnswer<TData>> {
  const url = new URL(`/trpc/${path}`, baseUrl);
  const init: RequestInit = { headers: { ...headers } };
  if (type === 'query') {
    if (input !== undefined) url.searchParams.set('input', JSON.stringify(input));
  } else {
    init.method = 'POST';
    init.headers = { ...headers, 'content-type': 'application/json' };
    if (input !== undefined) init.body = JSON.stringify(input);
  }
  const response = await fetch(url, init);
  const body = (await response.json()) as { result?: { data: TData }; error?: TrpcAnswer['error'] };
  return { status: response.status, headers: response.headers, data: body.result?.data, error: body.error };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
