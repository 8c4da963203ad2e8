// Each app's /info (its kind, which may have changed in Dify since the app was added) and /parameters (its input
// form), fetched once and reused: refreshed on demand, when profiles change, and after Dify refused the inputs.
import type { AppClient, AppInfo, AppParameters } from '../../dify/index.js';

export interface AppForm {
  info: AppInfo;
  parameters: AppParameters;
}

export class ParametersCache {
  private readonly cached = new Map<string, Promise<AppForm>>();

  get(appId: string, client: AppClient): Promise<AppForm> {
    let entry = this.cached.get(appId);
    if (!entry) {
      entry = Promise.all([client.getInfo(), client.getParameters()]).then(([info, parameters]) => ({ info, parameters }));
      this.cached.set(appId, entry);
      // A failed fetch is not kept: the next run asks again.
      entry.catch(() => this.cached.get(appId) === entry && this.cached.delete(appId));
    }
    return entry;
  }

  forget(appId?: string): void {
    if (appId) this.cached.delete(appId);
    else this.cached.clear();
  }
}
