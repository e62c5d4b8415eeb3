// The browser wallet (EIP-1193 window.ethereum) through viem: Sign-In with Ethereum (EIP-4361) and EIP-712 Ballot
// signatures that Merit relays to the governor. Every failure becomes a sentence a member can act on.
import { createWalletClient, custom } from 'viem';
import { createSiweMessage } from 'viem/siwe';
import { api, get, post, ApiError, dao } from './api.js';

export class WalletError extends Error {}

let chainInfo;
async function chain() {
  if (!chainInfo) chainInfo = await get('/api/chain');
  return chainInfo;
}

function provider() {
  if (!window.ethereum) {
    throw new WalletError('No wallet found. Install a browser wallet (for example MetaMask or Rabby) to sign in or vote; reading scores and proposals needs no wallet.');
  }
  return window.ethereum;
}

function explain(e) {
  if (e instanceof ApiError || e instanceof WalletError) return e;
  const code = e?.code ?? e?.cause?.code;
  if (code === 4001 || /rejected|denied/i.test(e?.message || '')) return new WalletError('You declined the request in your wallet; nothing was signed.');
  if (code === -32002) return new WalletError('Your wallet already has a request waiting: open it and answer that first.');
  return new WalletError('The wallet failed: ' + (e?.shortMessage || e?.message || String(e)));
}

/** Connects, and checks the wallet is on the DAO's chain (asking it to switch once if not). */
export async function connect() {
  try {
    const eth = provider();
    const [address] = await eth.request({ method: 'eth_requestAccounts' });
    if (!address) throw new WalletError('The wallet shared no account. Unlock it and allow this site.');
    const { chainId } = await chain();
    let walletChain = parseInt(await eth.request({ method: 'eth_chainId' }), 16);
    if (walletChain !== chainId) {
      try {
        await eth.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x' + chainId.toString(16) }] });
        walletChain = parseInt(await eth.request({ method: 'eth_chainId' }), 16);
      } catch (ignored) { /* reported below */ }
      if (walletChain !== chainId) {
        throw new WalletError(`Wrong network: your wallet is on chain ${walletChain}, this DAO is on chain ${chainId}. Switch networks in your wallet and try again.`);
      }
    }
    const client = createWalletClient({ account: address, transport: custom(eth) });
    return { address, chainId, client };
  } catch (e) {
    throw explain(e);
  }
}

/** Signs in (EIP-4361); with a contributor id, the signed message also asks Merit to link this wallet to them. */
export async function signIn(contributorId) {
  const { address, chainId, client } = await connect();
  try {
    const { nonce, domain } = await post('/api/auth/nonce');
    if (domain && domain.toLowerCase() !== window.location.host.toLowerCase()) {
      // The wallet shows the page's address; Merit signs people in on its own address only.
      throw new Error(`Sign-in works on Merit's own address: open ${window.location.protocol}//${domain}${window.location.pathname} and sign in there.`);
    }
    const now = new Date();
    const message = createSiweMessage({
      domain: window.location.host,
      address: client.account.address,
      statement: contributorId
        ? `Sign in to Merit and link this wallet to contributor #${contributorId}: their payouts will be paid to it.`
        : 'Sign in to Merit.',
      uri: window.location.origin,
      version: '1',
      chainId,
      nonce,
      issuedAt: now,
      // The session lasts until the message expires (the server caps it at merit.web.session-hours, 8 by default):
      // ten minutes signed people out silently mid-task. The nonce is spent on first use, so it cannot be replayed.
      expirationTime: new Date(now.getTime() + 8 * 60 * 60 * 1000),
      resources: contributorId ? [`urn:merit:contributor:${contributorId}`] : undefined,
    });
    const signature = await client.signMessage({ message });
    return await post('/api/auth/siwe', { message, signature });
  } catch (e) {
    throw explain(e);
  }
}

// Whether this browser has a session to ask about: the server sets this cookie beside the session's own (which the
// page cannot read) and clears it on sign-out; a visitor who never signed in is not asked, which would answer 401, an
// error in every visitor's console on every page.
function mayBeSignedIn() {
  return document.cookie.split(';').some((c) => c.trim().startsWith('merit_signed_in='));
}

export async function session() {
  if (!mayBeSignedIn()) return null;
  try {
    return await get('/api/auth/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/**
 * Whether this reader may act as a maintainer: a maintainer's wallet signed in, or (the embedded default) a page on
 * the machine Merit runs on, which the server says it would trust. A page that read the session already passes it.
 */
export async function maintainer(read) {
  const [s, site] = await Promise.all([read !== undefined ? read : session().catch(() => null), dao()]);
  return Boolean(s?.maintainer) || Boolean(site.maintainerOnThisMachine);
}

/**
 * The account the wallet would sign with now, without asking (eth_accounts): null when there is no wallet or it shares
 * no account with this site yet. A member may sign in with one account and vote with another they switched to.
 */
export async function account() {
  if (!window.ethereum) return null;
  try {
    const [address] = await window.ethereum.request({ method: 'eth_accounts' });
    return address || null;
  } catch (e) {
    return null;
  }
}

/** Calls {@code f} when the member switches accounts in their wallet (EIP-1193 accountsChanged). */
export function onAccountsChanged(f) {
  window.ethereum?.on?.('accountsChanged', f);
}

export async function signOut() {
  await api('/api/auth/session', { method: 'DELETE' });
}

/**
 * Votes: Merit checks the vote could count and returns the Ballot typed data; the wallet signs it
 * (eth_signTypedData_v4); Merit relays it with castVoteBySig and reads the tallies again.
 */
export async function vote(proposalId, support) {
  const { address, client } = await connect();
  try {
    const { typedData } = await get(`/api/chain/proposals/${proposalId}/ballot?voter=${address}&support=${support}`);
    const types = { ...typedData.types };
    delete types.EIP712Domain;
    const m = typedData.message;
    const signature = await client.signTypedData({
      domain: { ...typedData.domain, chainId: Number(typedData.domain.chainId) },
      types,
      primaryType: typedData.primaryType,
      message: { proposalId: BigInt(m.proposalId), support: Number(m.support), voter: m.voter, nonce: BigInt(m.nonce) },
    });
    return await post(`/api/chain/proposals/${proposalId}/votes`, { voter: address, support, signature });
  } catch (e) {
    throw explain(e);
  }
}
