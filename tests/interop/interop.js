// Kaltura's official Node.js client (npm kaltura-client) against the ktestme sandbox.
// Prints "ok NAME" or "not ok NAME: why" per step; exits 0 when it could run at all.
'use strict';
const crypto = require('crypto');
const kaltura = require('kaltura-client');

const url = process.env.SANDBOX_URL;
const partnerId = Number(process.env.PARTNER_ID);
const secret = process.env.ADMIN_SECRET;

function client(ks) {
	const config = new kaltura.Configuration();
	config.serviceUrl = url;
	config.setLogger(null); // the default logger prints every request, secrets included
	const c = new kaltura.Client(config);
	if (ks) c.setKs(ks);
	return c;
}

function ok(name) { console.log('ok ' + name); }
function notOk(name, why) { console.log('not ok ' + name + ': ' + why); }

async function step(name, fn) {
	try {
		await fn();
		ok(name);
	} catch (e) {
		notOk(name, e && (e.code ? e.code + ' ' + e.message : e.message || String(e)));
	}
}

async function expectError(name, code, fn) {
	try {
		await fn();
		notOk(name, 'no error, expected ' + code);
	} catch (e) {
		if (e && e.code === code) ok(name);
		else notOk(name, 'got ' + (e && (e.code || e.message)) + ', expected ' + code);
	}
}

function assert(cond, why) { if (!cond) throw new Error(why); }

(async () => {
	const S = kaltura.enums.SessionType;
	let adminKs, categoryId, userKs;

	await step('session.start ADMIN', async () => {
		adminKs = await kaltura.services.session.start(secret, 'admin', S.ADMIN, partnerId)
			.execute(client());
		assert(typeof adminKs === 'string' && adminKs.length > 20, 'no KS: ' + adminKs);
	});
	await step('session.get', async () => {
		const info = await kaltura.services.session.get().execute(client(adminKs));
		assert(info.partnerId === partnerId, 'partnerId ' + info.partnerId);
		assert(info.sessionType === S.ADMIN, 'sessionType ' + info.sessionType);
		assert(info.userId === 'admin', 'userId ' + info.userId);
	});
	await step('category.add with a privacy context', async () => {
		const cat = new kaltura.objects.Category();
		cat.name = 'Interop ' + process.pid;
		cat.privacyContext = 'InteropCtx';
		const added = await kaltura.services.category.add(cat).execute(client(adminKs));
		categoryId = added.id;
		assert(categoryId > 0, 'id ' + categoryId);
		assert(added.privacyContext === 'InteropCtx', 'privacyContext ' + added.privacyContext);
	});
	await step('session.start USER', async () => {
		userKs = await kaltura.services.session.start(secret, 'bob', S.USER, partnerId)
			.execute(client());
	});
	await expectError('USER session gets CATEGORY_NOT_FOUND', 'CATEGORY_NOT_FOUND', () =>
		kaltura.services.category.get(categoryId).execute(client(userKs)));
	await expectError('USER session may not add categories', 'SERVICE_FORBIDDEN', () => {
		const cat = new kaltura.objects.Category();
		cat.name = 'Forbidden';
		return kaltura.services.category.add(cat).execute(client(userKs));
	});
	await step('media.add in it; the category counts the entry', async () => {
		const ks = await kaltura.services.session.start(secret, 'admin', S.ADMIN, partnerId, 3600,
			'disableentitlement').execute(client());
		const entry = new kaltura.objects.MediaEntry();
		entry.name = 'Interop clip';
		entry.mediaType = kaltura.enums.MediaType.VIDEO;
		entry.categoriesIds = String(categoryId);
		const added = await kaltura.services.media.add(entry).execute(client(ks));
		assert(/^0_[a-z0-9]{8}$/.test(added.id), 'id ' + added.id);
		const cat = await kaltura.services.category.get(categoryId).execute(client(ks));
		assert(cat.entriesCount === 1 && cat.directEntriesCount === 1,
			'counts ' + cat.entriesCount + '/' + cat.directEntriesCount);
	});
	await step('disableentitlement session sees it', async () => {
		const ks = await kaltura.services.session.start(secret, 'bob', S.USER, partnerId, 3600,
			'disableentitlement').execute(client());
		const cat = await kaltura.services.category.get(categoryId).execute(client(ks));
		assert(cat.id === categoryId, 'id ' + cat.id);
	});
	await step('category.list with a filter', async () => {
		const filter = new kaltura.objects.CategoryFilter();
		filter.idEqual = categoryId;
		const ks = await kaltura.services.session.start(secret, 'admin', S.ADMIN, partnerId, 3600,
			'disableentitlement').execute(client());
		const list = await kaltura.services.category.listAction(filter).execute(client(ks));
		assert(list.totalCount === 1, 'totalCount ' + list.totalCount);
		assert(list.objects[0].id === categoryId, 'objects ' + JSON.stringify(list.objects));
	});
	await step('appToken.add, startWidgetSession, appToken.startSession (sha256)', async () => {
		const t = new kaltura.objects.AppToken();
		t.hashType = kaltura.enums.AppTokenHashType.SHA256;
		t.sessionType = S.USER;
		const token = await kaltura.services.appToken.add(t).execute(client(adminKs));
		assert(/^[0-9a-f]{32}$/.test(token.token), 'token ' + token.token);
		const widget = await kaltura.services.session.startWidgetSession('_' + partnerId)
			.execute(client());
		const hash = crypto.createHash('sha256').update(widget.ks + token.token).digest('hex');
		const info = await kaltura.services.appToken.startSession(token.id, hash)
			.execute(client(widget.ks));
		assert(typeof info.ks === 'string' && info.ks.length > 20, 'no ks');
		const back = await kaltura.services.session.get().execute(client(info.ks));
		assert(String(back.privileges).includes('apptoken:' + token.id),
			'privileges ' + back.privileges);
	});
	await step('multirequest with a {1:result} reference', async () => {
		const mr = kaltura.services.session.start(secret, 'carol', S.USER, partnerId)
			.add(kaltura.services.session.get().setKs('{1:result}'));
		const results = await mr.execute(client());
		assert(Array.isArray(results) && results.length === 2, 'results ' + JSON.stringify(results));
		assert(results[1].userId === 'carol', 'second ' + JSON.stringify(results[1]));
	});
	let endedKs;
	await step('session.end', async () => {
		endedKs = await kaltura.services.session.start(secret, 'dave', S.USER, partnerId)
			.execute(client());
		await kaltura.services.session.end().execute(client(endedKs));
	});
	await expectError('a call with the ended KS is rejected', 'INVALID_KS', () =>
		kaltura.services.session.get().execute(client(endedKs)));
})().catch((e) => { notOk('interop', e.message); });
