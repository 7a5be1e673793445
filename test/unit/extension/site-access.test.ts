import { describe, expect, it } from 'vitest';
import { welcomeWhenSiteAccessMissing } from '../../../extension/background/site-access-page';
import { memoryStorageArea } from '../../../extension/background/storage-area';
import { welcomeTabOpener } from '../../../extension/background/welcome-tab';
import { BUILT_IN_SITE_ORIGINS, originsMissingAccess, patternCoversOrigin, requestSiteAccess, type PermissionsLike } from '../../../extension/shared/site-access';
import { matchPatternFor } from '../../../extension/shared/trusted-origins';

/** The permissions API at its seam: granted match patterns, and a prompt the test answers. */
class FakePermissions implements PermissionsLike {
  readonly granted = new Set<string>();
  readonly requests: string[][] = [];
  answer: 'grant' | 'deny' = 'grant';

  constructor(origins: readonly string[]) {
    for (const origin of origins) this.granted.add(matchPatternFor(origin));
  }

  getAll(): Promise<{ origins: string[] }> {
    return Promise.resolve({ origins: [...this.granted] });
  }

  request({ origins }: { origins: string[] }): Promise<boolean> {
    this.requests.push(origins);
    if (this.answer === 'grant') for (const pattern of origins) this.granted.add(pattern);
    return Promise.resolve(this.answer === 'grant');
  }
}

const [first, second, ...rest] = BUILT_IN_SITE_ORIGINS;
if (first === undefined || second === undefined) throw new Error('the tests need two built-in origins');

/** The check over the real welcome-tab opener; counts the tabs it creates. */
function page(permissions: FakePermissions, session = memoryStorageArea()) {
  let opened = 0;
  const openWelcome = welcomeTabOpener(() => {
    opened += 1;
    return Promise.resolve();
  }, session);
  return { check: () => welcomeWhenSiteAccessMissing(permissions, openWelcome), opened: () => opened };
}

describe('which built-in sites lack access', () => {
  it('names none when every built-in origin is granted', async () => {
    expect(await originsMissingAccess(new FakePermissions(BUILT_IN_SITE_ORIGINS))).toEqual([]);
  });

  it('names exactly the origins without a grant, in the built-in order', async () => {
    expect(await originsMissingAccess(new FakePermissions(rest))).toEqual([first, second]);
  });

  it('names every built-in origin when nothing is granted (a profile from before the install)', async () => {
    expect(await originsMissingAccess(new FakePermissions([]))).toEqual(BUILT_IN_SITE_ORIGINS);
  });
});

describe('whether a granted match pattern covers a site', () => {
  it.each([
    ['<all_urls>', true],
    ['*://*/*', true],
    ['https://*/*', true],
    ['https://*.gov.tw/*', true],
    ['https://*.nhi.gov.tw/*', true],
    ['https://myhealthbank.nhi.gov.tw/*', true],
    ['http://myhealthbank.nhi.gov.tw/*', false],
    ['https://eservice.nhi.gov.tw/*', false],
    ['https://myhealthbank.nhi.gov.tw/only/*', false],
    ['https://*.health.nhi.gov.tw/*', false],
    ['https://evilmyhealthbank.nhi.gov.tw/*', false],
    ['not a pattern', false],
  ])('%s -> %s', (pattern, covers) => {
    expect(patternCoversOrigin(pattern, 'https://myhealthbank.nhi.gov.tw')).toBe(covers);
  });

  it('counts a site granted through a broad pattern as granted', async () => {
    const permissions = new FakePermissions([]);
    permissions.granted.add('https://*/*');
    expect(await originsMissingAccess(permissions)).toEqual([]);
  });
});

describe('asking for site access', () => {
  it('requests the match pattern of each missing origin and reports none missing once granted', async () => {
    const permissions = new FakePermissions(rest);
    expect(await requestSiteAccess(permissions, [first, second])).toEqual([]);
    expect(permissions.requests).toEqual([[matchPatternFor(first), matchPatternFor(second)]]);
  });

  it('reports the origins still missing when the person declines', async () => {
    const permissions = new FakePermissions(rest);
    permissions.answer = 'deny';
    expect(await requestSiteAccess(permissions, [first, second])).toEqual([first, second]);
  });

  it('asks nothing when nothing is missing', async () => {
    const permissions = new FakePermissions(BUILT_IN_SITE_ORIGINS);
    expect(await requestSiteAccess(permissions, [])).toEqual([]);
    expect(permissions.requests).toEqual([]);
  });
});

describe('the site-access page', () => {
  it('stays closed while every built-in origin is granted', async () => {
    const { check, opened } = page(new FakePermissions(BUILT_IN_SITE_ORIGINS));
    expect(await check()).toBe(false);
    expect(opened()).toBe(0);
  });

  it('opens when one built-in origin lacks access', async () => {
    const { check, opened } = page(new FakePermissions([first, ...rest]));
    expect(await check()).toBe(true);
    expect(opened()).toBe(1);
  });

  it('opens once per browser session, across checks in a row and background restarts', async () => {
    const session = memoryStorageArea();
    const permissions = new FakePermissions([]);
    const before = page(permissions, session);
    await Promise.all([before.check(), before.check()]);
    const restarted = page(permissions, session);
    await restarted.check();
    expect(before.opened() + restarted.opened()).toBe(1);
  });

  it('opens when access is withdrawn later in the session, after a check that found it granted', async () => {
    const permissions = new FakePermissions(BUILT_IN_SITE_ORIGINS);
    const { check, opened } = page(permissions);
    await check();
    permissions.granted.delete(matchPatternFor(second));
    await check();
    expect(opened()).toBe(1);
  });
});
