import { knownLocation, releaseAreaUrl } from '../../src/adapters/azure-devops/locations';
import { idRanges } from '../../src/adapters/azure-devops/classic-search';

describe('Azure DevOps hosts and locations known up front', () => {
  it('puts the release area where Azure DevOps Services serves it, and on the collection URL elsewhere', () => {
    expect(releaseAreaUrl('https://dev.azure.com/contoso')).toBe('https://vsrm.dev.azure.com/contoso');
    expect(releaseAreaUrl('https://dev.azure.com/contoso/')).toBe('https://vsrm.dev.azure.com/contoso');
    expect(releaseAreaUrl('https://contoso.visualstudio.com')).toBe('https://contoso.vsrm.visualstudio.com');
    expect(releaseAreaUrl('https://contoso.vsrm.visualstudio.com')).toBe('https://contoso.vsrm.visualstudio.com');
    expect(releaseAreaUrl('https://tfs.example.com/tfs/DefaultCollection')).toBe('https://tfs.example.com/tfs/DefaultCollection');
    expect(releaseAreaUrl('http://127.0.0.1:4000/mlops-org')).toBe('http://127.0.0.1:4000/mlops-org');
  });

  it('knows the release list location by the id the SDK asks for, at 7.1', () => {
    expect(knownLocation('A166FDE7-27AD-408E-BA75-703C2CC9D500')).toMatchObject({ area: 'release', resourceName: 'releases', maxVersion: '7.1', releasedVersion: '7.1' });
    expect(knownLocation('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });

  it('splits the release ids below the newest page into ranges of 100, never below id 1', () => {
    expect(idRanges(undefined)).toEqual([]);
    expect(idRanges(90)).toEqual([]);
    const r = idRanges(1234);
    expect(r.map((ids) => [ids[0], ids.at(-1), ids.length])).toEqual([[1134, 1035, 100], [1034, 935, 100], [934, 835, 100], [834, 735, 100]]);
    expect(idRanges(250).map((ids) => [ids[0], ids.at(-1)])).toEqual([[150, 51], [50, 1]]);
  });
});
