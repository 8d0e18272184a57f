import fp from 'fastify-plugin';
import type { Transaction } from 'kysely';
import type {
  Inquiry, InquiryCreate, InquiryHandling, InquiryReceipt, Listing, ListingCreate, ListingUpdate,
} from '../../domain/api/zhaoshang.schemas.js';
import {
  INQUIRY_LISTING_UNKNOWN, LISTING_EXISTS, LISTING_NOT_IDLE, LISTING_NOTHING_TO_PUBLISH, LISTING_PHOTO_REFUSED, LISTING_STALE,
  LISTING_STEP_NOT_ALLOWED, MAX_LISTING_PHOTOS, PUBLIC_PHOTO_MEDIA_TYPES, allowedListingSteps, inquiryReference, isListablePlot, listingStateLabel,
} from '../../domain/zhaoshang.js';
import type { AppInstance } from '../app-instance.js';
import type { Caller } from '../criteria/caller.js';
import { writeAs } from '../db/actor.js';
import type { Database } from '../db/schema.js';
import { InvalidParameterError, NotFoundError, ZhaoshangRefusalError } from '../errors.js';
import type { ListingContent, LockedListing } from './zhaoshang.repository.js';

/** Who writes an inquiry in the audit log: an anonymous visitor of the public page. */
export const PUBLIC_ACTOR = 'public';

const notFound = (id: number) => new NotFoundError(`没有编号为 ${id} 的招商地块，请刷新列表后重试。`, { parameter: 'id' });

/**
 * 招商地图: officials list identified idle plots with their 规划条件 and 专属招商方案 (every write a new
 * version, on the audit log), publish and withdraw them; investors leave 意向 on the public page;
 * officials handle them and match them to plots.
 */
export function createZhaoshangService(app: AppInstance) {
  const repository = app.zhaoshangRepository;

  function contentOf(body: ListingCreate | ListingUpdate): ListingContent {
    const { parcelId: _parcel, version: _version, ...content } = body as ListingCreate & ListingUpdate;
    const min = content.floorAreaRatioMin ?? null;
    const max = content.floorAreaRatioMax ?? null;
    if (min !== null && max !== null && min > max) {
      throw new InvalidParameterError('floorAreaRatioMin', `容积率下限 ${min} 大于上限 ${max}：请交换或修改后重试。`);
    }
    const blank = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);
    const labels = { title: '招商地块名称', plannedUse: '规划用途', contactOrg: '招商单位', contactName: '联系人' } as const;
    for (const [key, label] of Object.entries(labels) as [keyof typeof labels, string][]) {
      if (!content[key].trim()) throw new InvalidParameterError(key, `请填写${label}（不能只有空格）。`);
    }
    if (!content.targetIndustries.some((industry) => industry.trim())) throw new InvalidParameterError('targetIndustries', '请至少填写一个目标产业。');
    return {
      ...content,
      title: content.title.trim(),
      plannedUse: content.plannedUse.trim(),
      contactOrg: content.contactOrg.trim(),
      contactName: content.contactName.trim(),
      location: blank(content.location),
      planningNotes: blank(content.planningNotes),
      conditions: blank(content.conditions),
      contactEmail: blank(content.contactEmail),
      targetIndustries: content.targetIndustries.map((industry) => industry.trim()).filter(Boolean),
      photoDocumentIds: content.photoDocumentIds ?? [],
    };
  }

  /** Only the parcel's own photos, filed and not removed, JPEG or PNG, may go public. */
  async function checkPhotos(parcelId: number, ids: readonly number[]): Promise<void> {
    if (ids.length > MAX_LISTING_PHOTOS) throw new InvalidParameterError('photoDocumentIds', `最多公开 ${MAX_LISTING_PHOTOS} 张照片。`);
    const found = new Map((await repository.photoDocuments(parcelId, ids)).map((document) => [document.id, document]));
    for (const id of ids) {
      const document = found.get(id);
      const problem = !document ? '不是该地块的档案'
        : document.removed ? '已从一地一档中移除'
          : document.category !== 'photo' ? '不是“照片”类档案'
            : !(PUBLIC_PHOTO_MEDIA_TYPES as readonly string[]).includes(document.mediaType) ? '不是 JPEG 或 PNG 图片' : null;
      if (problem) {
        throw new ZhaoshangRefusalError({
          reason: LISTING_PHOTO_REFUSED, parameter: 'photoDocumentIds', details: { documentId: id },
          message: `档案 ${id} ${problem}，不能公开：请只选择该地块一地一档中的现场照片（JPEG/PNG）。`,
        });
      }
    }
  }

  async function listable(parcelId: number) {
    const parcel = await repository.parcel(parcelId);
    if (!parcel) throw new NotFoundError(`没有编号为 ${parcelId} 的地块。`, { parameter: 'parcelId' });
    return parcel;
  }

  function refuseUnlisted(parcel: { code: string; status: string; inefficiencyType: string | null }): never {
    throw new ZhaoshangRefusalError({
      reason: LISTING_NOT_IDLE, parameter: 'parcelId',
      message: `地块 ${parcel.code} 不是已认定的闲置低效用地，不能列入招商地图（招商地图只列“已认定低效”且低效类型为“闲置低效”的地块）。`,
    });
  }

  /** Locks the listing for a write by the caller, at the version the caller started from. */
  async function locked(transaction: Transaction<Database>, id: number, version: number, caller: Caller): Promise<LockedListing> {
    const listing = await repository.lock(transaction, id);
    if (!listing) throw notFound(id);
    const current = await repository.listing(id, transaction);
    caller.scope.assertWritable({ code: listing.districtCode, name: current?.districtName ?? listing.districtCode }, '该招商地块');
    if (listing.version !== version) {
      throw new ZhaoshangRefusalError({
        reason: LISTING_STALE, parameter: 'version', details: { current: listing.version, given: version },
        message: `该招商地块已被他人修改（当前为第 ${listing.version} 版，您依据的是第 ${version} 版）：请刷新后在最新版本上修改。`,
      });
    }
    return listing;
  }

  const actorOf = (caller: Caller) => ({ name: caller.principal.username, requestId: caller.requestId });

  return {
    async create(body: ListingCreate, caller: Caller): Promise<Listing> {
      const parcel = await listable(body.parcelId);
      caller.scope.assertWritable({ code: parcel.districtCode, name: parcel.districtName }, '该地块');
      if (!isListablePlot(parcel)) refuseUnlisted(parcel);
      const content = contentOf(body);
      await checkPhotos(parcel.id, content.photoDocumentIds ?? []);
      const id = await writeAs(app.db, actorOf(caller), (transaction) => repository.create(transaction, parcel, content, caller.principal.username));
      if (id === undefined) {
        throw new ZhaoshangRefusalError({ reason: LISTING_EXISTS, parameter: 'parcelId', message: `地块 ${parcel.code} 已有招商信息：请在列表中打开它修改。` });
      }
      return (await repository.listing(id))!;
    },

    async update(id: number, body: ListingUpdate, caller: Caller): Promise<Listing> {
      const content = contentOf(body);
      await writeAs(app.db, actorOf(caller), async (transaction) => {
        const listing = await locked(transaction, id, body.version, caller);
        await checkPhotos(listing.parcelId, content.photoDocumentIds ?? []);
        await repository.append(transaction, listing, 'edit', content, caller.principal.username);
      });
      return (await repository.listing(id))!;
    },

    /** 发布: the current version becomes what the public sees (again after edits). */
    async publish(id: number, version: number, caller: Caller): Promise<Listing> {
      await writeAs(app.db, actorOf(caller), async (transaction) => {
        const listing = await locked(transaction, id, version, caller);
        if (listing.state === 'published' && listing.publishedVersion === listing.version) {
          throw new ZhaoshangRefusalError({ reason: LISTING_NOTHING_TO_PUBLISH, message: '当前版本已经发布，没有新的修改需要发布。' });
        }
        const parcel = await repository.parcel(listing.parcelId);
        if (parcel && !isListablePlot(parcel)) refuseUnlisted(parcel);
        const content = await repository.content(transaction, id, listing.version);
        await checkPhotos(listing.parcelId, content.photoDocumentIds ?? []);
        await repository.append(transaction, listing, 'publish', content, caller.principal.username);
      });
      return (await repository.listing(id))!;
    },

    /** 撤回: the plot leaves the public page at once (e.g. 已签约, 规划调整). */
    async withdraw(id: number, version: number, reason: string, caller: Caller): Promise<Listing> {
      await writeAs(app.db, actorOf(caller), async (transaction) => {
        const listing = await locked(transaction, id, version, caller);
        if (!allowedListingSteps(listing.state).includes('withdraw')) {
          throw new ZhaoshangRefusalError({
            reason: LISTING_STEP_NOT_ALLOWED, details: { state: listing.state },
            message: `该招商地块当前为“${listingStateLabel(listing.state)}”，没有公开，不需要撤回。`,
          });
        }
        const content = await repository.content(transaction, id, listing.version);
        await repository.append(transaction, listing, 'withdraw', content, caller.principal.username, reason.trim());
      });
      return (await repository.listing(id))!;
    },

    async listing(id: number, caller: Caller): Promise<Listing> {
      const listing = await repository.listing(id);
      if (!listing) throw notFound(id);
      caller.scope.assertReadable({ code: listing.districtCode, name: listing.districtName }, '该招商地块');
      return listing;
    },

    /**
     * A 意向 from the public page. A form whose hidden trap field is filled (robots fill every
     * field) is answered as accepted and not kept.
     */
    async submitInquiry(body: InquiryCreate, requestId: string): Promise<InquiryReceipt & { kept: boolean }> {
      const accepted = '意向已提交，招商部门将在 3 个工作日内与您联系。';
      if (body.website?.trim()) return { reference: inquiryReference(0, new Date()), message: accepted, kept: false };
      let listingVersion: number | null = null;
      if (body.listingId !== undefined && body.listingId !== null) {
        const published = await repository.publishedIds([body.listingId]);
        if (!published.has(body.listingId)) {
          throw new ZhaoshangRefusalError({ reason: INQUIRY_LISTING_UNKNOWN, parameter: 'listingId', message: '所选地块已不在招商地图上（可能已撤回）：请刷新页面后重新选择地块，或不选地块直接提交。' });
        }
        listingVersion = published.get(body.listingId)!;
      }
      const saved = await writeAs(app.db, { name: PUBLIC_ACTOR, requestId }, (transaction) => repository.insertInquiry(transaction, body, listingVersion));
      return { reference: inquiryReference(saved.id, saved.submittedAt), message: accepted, kept: true };
    },

    async handleInquiry(id: number, handling: InquiryHandling, caller: Caller): Promise<Inquiry> {
      const inquiry = await repository.inquiry(id);
      if (!inquiry || (inquiry.districtCode !== null && !caller.scope.covers(inquiry.districtCode))) {
        throw new NotFoundError(`没有编号为 ${id} 的意向（或不在您的管辖范围内）。`, { parameter: 'id' });
      }
      const inScope = new Set(await repository.listingIdsInScope(handling.matchedListingIds, caller.scope));
      const outside = handling.matchedListingIds.filter((listingId) => !inScope.has(listingId));
      if (outside.length > 0) throw new InvalidParameterError('matchedListingIds', `招商地块 ${outside.join('、')} 不存在或不在您的管辖范围内：请从列表中选择。`);
      await writeAs(app.db, actorOf(caller), (transaction) => repository.handleInquiry(transaction, id, handling, caller.principal.username));
      const { districtCode: _district, ...answer } = (await repository.inquiry(id))!;
      return answer;
    },
  };
}

export type ZhaoshangService = ReturnType<typeof createZhaoshangService>;

declare module 'fastify' {
  interface FastifyInstance {
    zhaoshangService: ZhaoshangService;
  }
}

export const zhaoshangServicePlugin = fp(async (app: AppInstance) => {
  app.decorate('zhaoshangService', createZhaoshangService(app));
}, { name: 'zhaoshang-service', dependencies: ['zhaoshang-repository'] });
