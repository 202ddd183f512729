/**
 * `format("socket")`: Spark's TextSocketSourceProvider over {@link socket}.
 *
 * Invariant: `host` and `port` are required (weir's message names the option to set); the schema is `value STRING`,
 * plus `timestamp TIMESTAMP` with `includeTimestamp`.
 */
import type { Row, Source } from '../../lib/contracts';
import type { DataSourceProvider } from '../../lib/connector/DataSourceProvider';
import type { CaseInsensitiveStringMap } from '../../lib/connector/CaseInsensitiveStringMap';
import { ErrorCodes, WeirError } from '../../lib/errors';
import { toSchema } from '../../lib/values/types';
import { socket } from './socket';

function required(o: CaseInsensitiveStringMap, option: 'host' | 'port'): void {
  if (!o.has(option)) {
    throw new WeirError(ErrorCodes.MISSING_OPTION, `Set a ${option} to read from with option("${option}", ...).`, {
      context: { format: 'socket', option },
    });
  }
}

export const socketProvider: DataSourceProvider = {
  shortName: 'socket',
  options: ['host', 'port', 'includeTimestamp'],
  sourceSchema: (o) => toSchema(o.getBoolean('includeTimestamp', false) ? 'value STRING, timestamp TIMESTAMP' : 'value STRING'),
  createSource: (o) => {
    required(o, 'host');
    required(o, 'port');
    return socket({ host: o.get('host') as string, port: o.getInt('port', 0), includeTimestamp: o.getBoolean('includeTimestamp', false) }) as unknown as Source<Row>;
  },
};
