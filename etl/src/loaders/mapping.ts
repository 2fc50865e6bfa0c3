import type { Loader } from '../loader';

/** Not yet available: reports the file as unsupported. */
export const mappingLoader: Loader = {
  kind: 'mapping',
  columns: [{ key: '__none', names: ['\u0000'], required: true }],
  async remove() {},
  async load(ctx) {
    ctx.issues.fatal('暂不支持此类文件', 'this kind of file is not supported yet');
    return { rowsRead: 0, rowsLoaded: 0 };
  },
};
