import type { TSystemInfo } from '@pulse/shared/system';

export class SystemService {
  constructor(private readonly info: TSystemInfo) {}

  systemInfo(): TSystemInfo {
    return this.info;
  }
}
