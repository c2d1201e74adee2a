import type { Readable } from 'node:stream';
import type { AuditLog } from '../audit/index.js';
import type { Me } from '../auth/auth.schemas.js';
import type { Clock } from '../clock.js';
import type { CustomersService } from '../customers/index.js';
import { searchSql } from '../customers/index.js';
import { badRequest, notFound } from '../http/errors.js';
import type { DataPackage, ExportQuery } from './customer-data.schemas.js';
import { customersCsv } from './customer-export.js';
import type { CustomerSelection, ExportCursor } from './customer-export.repository.js';
import type { createDataPackageRepository } from './data-package.repository.js';

export interface CustomerDataServiceDeps {
  customers: Pick<CustomersService, 'get' | 'searchPlan'>;
  /** A saved segment's customers as a subquery; null for an unknown segment. */
  segmentSql(segmentId: number, nowMs: number): { sql: string; params: Record<string, unknown> } | null;
  /** Opens an export's own read of the database. */
  openExport(selection: CustomerSelection): ExportCursor;
  packages: ReturnType<typeof createDataPackageRepository>;
  audit: AuditLog;
  clock: Clock;
}

/** Customers out of the system: the CSV export of many, and one customer's subject-access package. */
export function createCustomerDataService(deps: CustomerDataServiceDeps) {
  const { audit, clock } = deps;

  function selectionOf(query: ExportQuery): CustomerSelection & { scope: string } {
    if (query.q !== undefined && query.segment !== undefined) {
      throw badRequest('Give either q (a search) or segment, not both');
    }
    if (query.segment !== undefined) {
      const segment = deps.segmentSql(query.segment, clock.now().getTime());
      if (!segment) throw notFound('Segment', query.segment);
      return { scope: 'segment', idsSql: segment.sql, params: segment.params };
    }
    if (query.q !== undefined) {
      const { from, params } = searchSql(deps.customers.searchPlan(query.q));
      return { scope: 'search', idsSql: `SELECT c.id ${from}`, params };
    }
    return { scope: 'all', idsSql: null, params: [] };
  }

  return {
    /**
     * The customers as CSV, streamed. Audited with what was exported (all, a search, a segment's id),
     * never the search text: it is often a name or a number.
     */
    exportCsv(actor: Me, query: ExportQuery, ip: string): { fileName: string; stream: Readable } {
      const { scope, ...selection } = selectionOf(query);
      const stream = customersCsv(deps.openExport(selection));
      audit.record({
        actorAgentId: actor.id,
        action: 'customer.export',
        entityType: 'customer',
        entityId: null,
        ip,
        details: { scope, ...(query.segment !== undefined && { segmentId: query.segment }) },
      });
      const stamp = clock.now().toISOString().slice(0, 10);
      return { fileName: `customers-${stamp}.csv`, stream };
    },

    /** Everything held about one customer (a subject-access request), audited. */
    dataPackage(actor: Me, customerId: number, ip: string): DataPackage {
      const { customer } = deps.customers.get(customerId);
      const data: DataPackage = {
        generatedAt: clock.now().toISOString(),
        customer,
        ...deps.packages.read(customerId),
      };
      audit.record({
        actorAgentId: actor.id,
        action: 'customer.data_package',
        entityType: 'customer',
        entityId: customerId,
        ip,
      });
      return data;
    },
  };
}

export type CustomerDataService = ReturnType<typeof createCustomerDataService>;
