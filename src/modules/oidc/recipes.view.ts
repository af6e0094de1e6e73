import type { MessageKey, Translate } from '../../i18n/index.js';
import { html, type SafeHtml } from '../../views/html.js';
import type { Recipe } from './recipes.js';

/** The list of what to type in an app, then the snippet for its settings (shown once, right after registration). */
export function recipeSection(t: Translate, recipe: Recipe): SafeHtml {
  const claims = t(`oidc.claims_in.${recipe.claimsIn}` as MessageKey, { claims: recipe.claims.join(', ') });
  return html`<h2>${t('oidc.recipe_title', { app: recipe.app })}</h2>
<dl><dt>${t('oidc.discovery')}</dt><dd><code>${recipe.discovery}</code></dd>
<dt>${t('oidc.scopes')}</dt><dd>${recipe.scopes ? html`<code>${recipe.scopes}</code>` : t('oidc.scopes_none')}</dd>
<dt>${t('oidc.token_auth')}</dt><dd><code>${recipe.authMethod}</code></dd>
<dt>${t('oidc.pkce')}</dt><dd>${recipe.pkce ? t('oidc.pkce_used') : t('oidc.pkce_unused')}</dd>
${recipe.callbackHint ? html`<dt>${t('oidc.callback')}</dt><dd>${t('oidc.callback_hint', { path: recipe.callbackHint })}</dd>` : ''}
<dt>${t('oidc.claims')}</dt><dd>${claims}</dd></dl>
<p>${t('oidc.settings_in', { where: t(recipe.where) })}</p><pre><code>${recipe.snippet}</code></pre>`;
}

/** The same for the command line (English, as the CLI speaks). */
export function recipeText(t: Translate, recipe: Recipe): string {
  const lines = [
    '', t('oidc.recipe_title', { app: recipe.app }),
    `  discovery:     ${recipe.discovery}`,
    `  scopes:        ${recipe.scopes || '(none: leave empty)'}`,
    `  token auth:    ${recipe.authMethod}`,
    `  PKCE:          ${recipe.pkce ? 'S256' : 'not used by this app'}`,
    ...(recipe.callbackHint ? [`  redirect URI:  https://<app address>${recipe.callbackHint}`] : []),
    `  claims:        ${t(`oidc.claims_in.${recipe.claimsIn}` as MessageKey, { claims: recipe.claims.join(', ') })}`,
    '', t('oidc.settings_in', { where: t(recipe.where) }), recipe.snippet,
  ];
  return lines.join('\n');
}
