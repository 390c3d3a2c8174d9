/** Every database the advisor ranks, in tie-break order (PostgreSQL first: the default). */
import type { DatabaseModel } from '../types';
import { postgresql } from './postgresql';
import { mysql } from './mysql';
import { cockroachdb } from './cockroachdb';
import { timescaledb } from './timescaledb';
import { mongodb } from './mongodb';
import { dynamodb } from './dynamodb';
import { cassandra } from './cassandra';
import { redis } from './redis';
import { elasticsearch } from './elasticsearch';
import { clickhouse } from './clickhouse';
import { neo4j } from './neo4j';

export const DATABASES: readonly DatabaseModel[] = [
  postgresql,
  mysql,
  cockroachdb,
  timescaledb,
  mongodb,
  dynamodb,
  cassandra,
  redis,
  elasticsearch,
  clickhouse,
  neo4j,
];
