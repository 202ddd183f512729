/**
 * flatMapGroupsWithState / applyInPandasWithState / mapGroupsWithState on the DataFrame face (GroupedData).
 */
import { MemoryStream, Session, type DataFrame } from '../../index';
import type { GroupState } from '../../lib/groupState/GroupState';
import type { Row } from '../../lib/contracts';

let spark: Session;
beforeAll(() => {
  spark = Session.builder().appName('groups-with-state-dataframe').getOrCreate();
});
afterAll(() => spark.stop());

let n = 0;
const table = () => `gws_df_${(n += 1)}`;

/** Keeps each user's running total of `amount` and emits it on every call. */
const runningTotal = (key: Row, rows: readonly Row[], state: GroupState<number>): Row[] => {
  const total = (state.getOption() ?? 0) + rows.reduce((a, r) => a + (r.amount as number), 0);
  state.update(total);
  return [{ user: key.user, total }];
};

/**
 * Runs `df` into a memory sink in update mode, one batch per entry of `batches` added to `input`, and returns the
 * sink's rows.
 */
async function memorySinkRowsAfter(df: DataFrame, input: MemoryStream<Row>, batches: Row[][]): Promise<Row[]> {
  const name = table();
  const q = await df.writeStream.format('memory').queryName(name).outputMode('update').start();
  try {
    for (const rows of batches) {
      input.addData(...rows);
      await q.processAllAvailable();
    }
    return await spark.table(name).collect();
  } finally {
    await q.stop();
  }
}

describe('GroupedData.flatMapGroupsWithState', () => {
  it('runs the function per group with the key columns as an object; output rows take the output schema', async () => {
    const input = new MemoryStream(spark, 'user STRING, amount INT');
    const df = input
      .toDF()
      .groupBy('user')
      .flatMapGroupsWithState(
        runningTotal,
        { outputMode: 'update', outputSchema: 'user STRING, total BIGINT' },
      );
    expect(df.columns).toEqual(['user', 'total']);
    expect(
      await memorySinkRowsAfter(df, input, [
        [{ user: 'a', amount: 1 }, { user: 'a', amount: 2 }, { user: 'b', amount: 5 }],
        [{ user: 'a', amount: 10 }],
      ]),
    ).toEqual([
      { user: 'a', total: 3 },
      { user: 'b', total: 5 },
      { user: 'a', total: 13 },
    ]);
  });

  it('initialState: [key row, state] pairs applied in batch 0; a key with only initial state is called with no rows', async () => {
    const input = new MemoryStream(spark, 'user STRING, amount INT');
    const df = input
      .toDF()
      .groupBy('user')
      .flatMapGroupsWithState(
        runningTotal,
        { outputMode: 'update', outputSchema: 'user STRING, total BIGINT', initialState: [[{ user: 'a' }, 100], [{ user: 'z' }, 7]] },
      );
    expect(await memorySinkRowsAfter(df, input, [[{ user: 'a', amount: 1 }], [{ user: 'z', amount: 1 }]])).toEqual([
      { user: 'a', total: 101 },
      { user: 'z', total: 7 },
      { user: 'z', total: 8 },
    ]);
  });

  it("rejects output modes as Spark does (operation mode vs query mode; mapGroupsWithState only in update)", async () => {
    const input = new MemoryStream(spark, 'user STRING');
    const fm = input.toDF().groupBy('user').flatMapGroupsWithState(() => [], { outputMode: 'append', outputSchema: 'user STRING' });
    await expect(fm.writeStream.format('memory').queryName(table()).outputMode('update').start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'flatMapGroupsWithState in append mode is not supported with Update output mode on a streaming DataFrame/Dataset',
    });
    const mg = input.toDF().groupBy('user').mapGroupsWithState(() => ({ user: 'x' }), { outputSchema: 'user STRING' });
    await expect(mg.writeStream.format('memory').queryName(table()).outputMode('append').start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message: 'mapGroupsWithState is not supported with Append output mode on a streaming DataFrame/Dataset',
    });
    const et = input.toDF().groupBy('user').applyInPandasWithState(() => [], 'user STRING', 'n LONG', 'append', 'EventTimeTimeout');
    await expect(et.writeStream.format('memory').queryName(table()).start()).rejects.toMatchObject({
      code: 'UNSUPPORTED_OPERATION',
      message:
        "Watermark must be specified in the query using '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a applyInPandasWithState. Event-time timeout not supported without watermark.",
    });
  });
});

describe('[flat]MapGroupsWithState on batch DataFrames', () => {
  it('runs once per group with empty state, as Spark does for a batch query (no output-mode rule applies)', async () => {
    const df = spark.createDataFrame(
      [
        { user: 'a', amount: 1 },
        { user: 'b', amount: 2 },
        { user: 'a', amount: 3 },
      ],
      'user STRING, amount INT',
    );
    const out = await df
      .groupBy('user')
      .mapGroupsWithState(
        (key: Row, rows: readonly Row[], state: GroupState<number>) => ({ user: key.user, total: rows.reduce((a, r) => a + (r.amount as number), 0), had: state.exists }),
        { outputSchema: 'user STRING, total BIGINT, had BOOLEAN', timeout: 'EventTimeTimeout' },
      )
      .collect();
    expect(out).toEqual([
      { user: 'a', total: 4, had: false },
      { user: 'b', total: 2, had: false },
    ]);
  });
});
