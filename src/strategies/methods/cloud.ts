/**
 * Managed balancers, modelled from their documentation: AWS ALB's duration-based and
 * application-based stickiness, and Kubernetes' `sessionAffinity: ClientIP`. Neither has
 * weights or backup servers.
 */
import { cookieName, durationMs, explained } from '../../fields/index.js';
import type { z } from 'zod';
import { AlbStickiness, AlbTargets, DEFAULT_ALB_DURATION_MS, MAX_ALB_DURATION_MS } from '../cloud/alb.js';
import { DEFAULT_AFFINITY_TIMEOUT_MS, KubernetesClientIpStrategy, MAX_AFFINITY_TIMEOUT_MS } from '../cloud/kubernetes.js';
import { withCookieRoute } from '../cookie-route.js';
import type { BalancerProblem, MethodDefinition, MethodInput } from '../method.js';
import type { PeerSpec, Strategy } from '../strategy.js';

export const CLOUD_METHOD_NAMES = ['alb-duration-cookie', 'alb-app-cookie', 'k8s-client-ip'] as const;
type Name = (typeof CLOUD_METHOD_NAMES)[number];

const DURATION = { duration: explained(durationMs(), 'ALB stickiness duration (1 s to 7 days; default 1 day)').optional() };
const APP_COOKIE = { appCookie: cookieName().describe("ALB application-based stickiness: the application's cookie name").optional() };
const TIMEOUT = { timeout: explained(durationMs(), 'Kubernetes sessionAffinityConfig.clientIP.timeoutSeconds (default 10800 s)').optional() };

/** Every option of the family, for the scenario's `balancer.options`. */
export const CLOUD_OPTIONS = { ...DURATION, ...APP_COOKIE, ...TIMEOUT };
type Options = z.output<z.ZodObject<typeof CLOUD_OPTIONS>>;

/** The ranges ALB and Kubernetes accept, and ALB's reserved cookie names. */
function checkOptions({ duration, timeout, appCookie }: Options): BalancerProblem[] {
  const problems: BalancerProblem[] = [];
  if (duration !== undefined && !(duration >= 1000 && duration <= MAX_ALB_DURATION_MS)) problems.push({ path: ['options', 'duration'], message: 'expected a duration from 1s to 7d (ALB\'s range)' });
  if (timeout !== undefined && !(timeout >= 1000 && timeout <= MAX_AFFINITY_TIMEOUT_MS)) problems.push({ path: ['options', 'timeout'], message: 'expected a duration from 1s to 86400s (Kubernetes\' range)' });
  if (appCookie !== undefined && /^AWSALB/i.test(appCookie)) problems.push({ path: ['options', 'appCookie'], message: 'AWSALB, AWSALBAPP and AWSALBTG are reserved by the load balancer' });
  return problems;
}

function alb(peers: readonly PeerSpec[], input: MethodInput<Options>, appCookie: string | undefined): Strategy {
  const targets = new AlbTargets(peers, input.rng);
  const method = appCookie === undefined ? 'alb-duration-cookie' : 'alb-app-cookie';
  return withCookieRoute(targets, new AlbStickiness(targets, input.options.duration ?? DEFAULT_ALB_DURATION_MS, appCookie), method);
}

export const CLOUD_METHODS: { readonly [M in Name]: MethodDefinition<M, Options> } = {
  'alb-duration-cookie': {
    name: 'alb-duration-cookie',
    directive: 'stickiness.type = lb_cookie (AWSALB)',
    description: 'AWS ALB lb_cookie stickiness (a model): a random target, then a cookie',
    needs: ['cookie'],
    affinity: 'cookie',
    options: DURATION,
    checkOptions,
    servers: { unweighted: 'an ALB target group' },
    create: (peers, input) => alb(peers, input, undefined),
  },
  'alb-app-cookie': {
    name: 'alb-app-cookie',
    directive: 'stickiness.type = app_cookie (AWSALBAPP)',
    description: "AWS ALB app_cookie stickiness (a model): follows the application's cookie",
    needs: ['cookie'],
    affinity: 'cookie',
    options: { ...DURATION, ...APP_COOKIE },
    checkOptions,
    servers: { unweighted: 'an ALB target group' },
    create: (peers, input) => alb(peers, input, input.options.appCookie ?? 'SESSIONID'),
  },
  'k8s-client-ip': {
    name: 'k8s-client-ip',
    directive: 'sessionAffinity: ClientIP',
    description: 'Kubernetes sessionAffinity: ClientIP (a model): sticky by address',
    needs: ['client-ip'],
    affinity: 'address',
    options: TIMEOUT,
    checkOptions,
    servers: { unweighted: 'a Kubernetes Service' },
    create: (peers, input) => new KubernetesClientIpStrategy(peers, input.rng, input.options.timeout ?? DEFAULT_AFFINITY_TIMEOUT_MS),
  },
};
