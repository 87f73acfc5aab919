<?php
// Kaltura's official PHP client (../shared/clients/php) against the ktestme sandbox, in the
// format KALTURA_FORMAT names (3, the client's default, or 1). Prints "ok NAME" or
// "not ok NAME: why" per step, like interop.js.
error_reporting(E_ALL & ~E_DEPRECATED);
require_once getenv('PHP_CLIENT') . '/KalturaClient.php';

$url = getenv('SANDBOX_URL');
$partnerId = (int)getenv('PARTNER_ID');
$secret = getenv('ADMIN_SECRET');
$password = getenv('ADMIN_PASSWORD');
$format = (int)(getenv('KALTURA_FORMAT') ?: KalturaClientBase::KALTURA_SERVICE_FORMAT_PHP);

function client($ks = null)
{
	global $url, $format;
	$config = new KalturaConfiguration();
	$config->serviceUrl = $url;
	$config->format = $format;
	$c = new KalturaClient($config);
	if ($ks)
		$c->setKs($ks);
	return $c;
}

function step($name, $fn)
{
	try {
		$fn();
		echo "ok $name\n";
	} catch (Throwable $e) {
		$why = $e instanceof KalturaException ? $e->getCode() . ' ' . $e->getMessage()
						      : get_class($e) . ' ' . $e->getMessage();
		echo "not ok $name: " . str_replace("\n", ' ', substr($why, 0, 300)) . "\n";
	}
}

function expect_error($name, $code, $fn)
{
	try {
		$fn();
		echo "not ok $name: no error, expected $code\n";
	} catch (KalturaException $e) {
		if ($e->getCode() === $code)
			echo "ok $name\n";
		else
			echo "not ok $name: got " . $e->getCode() . ", expected $code\n";
	} catch (Throwable $e) {
		echo "not ok $name: " . get_class($e) . ' ' . substr($e->getMessage(), 0, 300) . "\n";
	}
}

function check($cond, $why)
{
	if (!$cond)
		throw new Exception($why);
}

$adminKs = null;
$userKs = null;
step('session.start ADMIN', function () use (&$adminKs, $secret, $partnerId) {
	$adminKs = client()->session->start($secret, 'admin', KalturaSessionType::ADMIN, $partnerId);
	check(is_string($adminKs) && strlen($adminKs) > 20, "no KS: " . var_export($adminKs, true));
});
step('session.get', function () use ($adminKs, $partnerId) {
	$info = client($adminKs)->session->get();
	check($info instanceof KalturaSessionInfo, 'not a KalturaSessionInfo');
	check($info->partnerId == $partnerId, "partnerId {$info->partnerId}");
	check($info->sessionType == KalturaSessionType::ADMIN, "sessionType {$info->sessionType}");
	check($info->userId === 'admin', "userId {$info->userId}");
	check(empty($info->ks), 'session.get fills no ks');
});
step('session.start USER', function () use (&$userKs, $secret, $partnerId) {
	$userKs = client()->session->start($secret, 'bob', KalturaSessionType::USER, $partnerId);
	check(strlen($userKs) > 20, 'no KS');
});
expect_error('USER session gets CATEGORY_NOT_FOUND', 'CATEGORY_NOT_FOUND', function () use ($userKs) {
	client($userKs)->category->get(2);
});
step('disableentitlement finds the category', function () use ($secret, $partnerId) {
	$ks = client()->session->start($secret, 'bob', KalturaSessionType::USER, $partnerId, 3600,
				       'disableentitlement');
	$cat = client($ks)->category->get(2);
	check($cat instanceof KalturaCategory && $cat->id == 2, 'id ' . $cat->id);
	check($cat->privacyContext === 'MediaSpace', 'privacyContext ' . $cat->privacyContext);
});
step('category.list fullNameEqual', function () use ($adminKs) {
	$f = new KalturaCategoryFilter();
	$f->fullNameEqual = 'Demo';
	$list = client($adminKs)->category->listAction($f);
	check($list->totalCount == 1, "totalCount {$list->totalCount}");
	check($list->objects[0]->name === 'Demo', 'name ' . $list->objects[0]->name);
});
step('category.list fullNameStartsWith, orderBy -name', function () use ($adminKs) {
	$f = new KalturaCategoryFilter();
	$f->fullNameStartsWith = 'Demo';
	$f->orderBy = KalturaCategoryOrderBy::NAME_DESC;
	$list = client($adminKs)->category->listAction($f);
	check($list->totalCount == 2, "totalCount {$list->totalCount}");
	check($list->objects[0]->fullName === 'Demo>Sub', 'first ' . $list->objects[0]->fullName);
});
step('user.loginByLoginId', function () use ($password, $partnerId) {
	$ks = client()->user->loginByLoginId('admin@example.com', $password, $partnerId);
	$info = client($ks)->session->get();
	check($info->userId === 'admin@example.com', "userId {$info->userId}");
});
expect_error('a wrong password is refused', 'USER_WRONG_PASSWORD', function () use ($partnerId) {
	client()->user->loginByLoginId('admin@example.com', 'not-it-1', $partnerId);
});
step('appToken.add, startWidgetSession, appToken.startSession (sha256)', function () use ($adminKs, $partnerId) {
	$t = new KalturaAppToken();
	$t->hashType = KalturaAppTokenHashType::SHA256;
	$t->sessionType = KalturaSessionType::USER;
	$token = client($adminKs)->appToken->add($t);
	check(preg_match('/^[0-9a-f]{32}$/', $token->token) === 1, 'token ' . $token->token);
	$widget = client()->session->startWidgetSession('_' . $partnerId);
	$hash = hash('sha256', $widget->ks . $token->token);
	$info = client($widget->ks)->appToken->startSession($token->id, $hash);
	check(strpos($info->privileges, "sessionid:{$token->id},apptoken:{$token->id}") === 0,
	      'privileges ' . $info->privileges);
	$back = client($info->ks)->session->get();
	check(strpos($back->privileges, 'apptoken:' . $token->id) !== false, 'privileges ' . $back->privileges);
});
step('multirequest with a reference', function () use ($secret, $partnerId) {
	$c = client();
	$c->startMultiRequest();
	$c->session->start($secret, 'carol', KalturaSessionType::USER, $partnerId);
	$c->setKs('{1:result}'); // the second call's KS is the first call's result
	$c->session->get();
	$r = $c->doMultiRequest();
	check(is_array($r) && count($r) == 2, 'results ' . var_export($r, true));
	check($r[1] instanceof KalturaSessionInfo && $r[1]->userId === 'carol', 'second ' . print_r($r[1], true));
});
step('media.list with a pager', function () use ($secret, $partnerId) {
	$ks = client()->session->start($secret, 'admin', KalturaSessionType::ADMIN, $partnerId, 3600,
				       'disableentitlement');
	$p = new KalturaFilterPager();
	$p->pageSize = 2;
	$p->pageIndex = 2;
	$list = client($ks)->media->listAction(null, $p);
	check($list->totalCount == 5, "totalCount {$list->totalCount}");
	check(count($list->objects) == 2, 'objects ' . count($list->objects));
	check($list->objects[0] instanceof KalturaMediaEntry, 'not a KalturaMediaEntry');
});
$endedKs = null;
step('session.end', function () use (&$endedKs, $secret, $partnerId) {
	$endedKs = client()->session->start($secret, 'dave', KalturaSessionType::USER, $partnerId);
	client($endedKs)->session->end();
});
expect_error('a call with the ended KS is rejected', 'INVALID_KS', function () use (&$endedKs) {
	client($endedKs)->session->get();
});
