var Ue="openclaw-device-identity-v1",L="openclaw.device.auth.v1:",qt="302e020100300506032b657004220420";function ne(s){let e="";for(let t of s)e+=String.fromCharCode(t);return btoa(e).replaceAll("+","-").replaceAll("/","_").replace(/=+$/,"")}function Pe(s){let e=s.replaceAll("-","+").replaceAll("_","/"),t=atob(e.padEnd(e.length+(4-e.length%4)%4,"="));return Uint8Array.from(t,n=>n.charCodeAt(0))}async function He(s){let e=new Uint8Array(await crypto.subtle.digest("SHA-256",s));return Array.from(e,t=>t.toString(16).padStart(2,"0")).join("")}function V(s){try{let e=localStorage.getItem(s);return e&&e.length<=16384?JSON.parse(e):void 0}catch{return}}async function Rt(s){let e=qt.match(/../g).map(n=>parseInt(n,16)),t=new Uint8Array([...e,...s]);return await crypto.subtle.importKey("pkcs8",t,{name:"Ed25519"},!1,["sign"])}async function Ot(){let s=V(Ue);if(s?.version!==1||typeof s.publicKey!="string"||typeof s.privateKey!="string")return;let e=Pe(s.publicKey),t=Pe(s.privateKey);if(e.length!==32||t.length!==32)return;let n=await He(e);if(n===s.deviceId)return{deviceId:n,publicKey:s.publicKey,key:await Rt(t)}}async function Lt(){let s=await crypto.subtle.generateKey({name:"Ed25519"},!0,["sign","verify"]),e=new Uint8Array(await crypto.subtle.exportKey("raw",s.publicKey)),t=new Uint8Array(await crypto.subtle.exportKey("pkcs8",s.privateKey)),n={version:1,deviceId:await He(e),publicKey:ne(e),privateKey:ne(t.slice(-32)),createdAtMs:Date.now()};return localStorage.setItem(Ue,JSON.stringify(n)),{deviceId:n.deviceId,publicKey:n.publicKey,key:s.privateKey}}var De;function Ke(){return De??=(async()=>{if(!(!globalThis.isSecureContext||!crypto?.subtle))try{return await Ot()??await Lt()}catch{return}})(),De}function Ne(s){return(s??"").trim().replace(/[A-Z]/g,e=>e.toLowerCase())}async function je(s,e,t){let n=["v3",s.deviceId,t.clientId,t.clientMode,t.role,t.scopes.join(","),String(e.ts),t.token??"",e.nonce,Ne(t.platform),Ne(t.deviceFamily)].join("|"),i=await crypto.subtle.sign("Ed25519",s.key,new TextEncoder().encode(n));return{id:s.deviceId,publicKey:s.publicKey,signature:ne(new Uint8Array(i)),signedAt:e.ts,nonce:e.nonce}}function We(s,e,t="operator"){let n=V(L+s);if(n?.version!==1||n.deviceId!==e)return;let i=n.tokens?.[t]?.token;return typeof i=="string"&&i.length<=1024?i:void 0}function Ve(s){return V(L+s)!==void 0}function Be(s,e,t){if(typeof t?.deviceToken!="string")return;let n=V(L+s),i=n?.deviceId===e?{...n.tokens}:{};i[t.role??"operator"]={token:t.deviceToken,role:t.role??"operator",scopes:t.scopes??[],updatedAtMs:Date.now()};try{localStorage.setItem(L+s,JSON.stringify({version:1,deviceId:e,tokens:i}))}catch{}}function ie(s){try{localStorage.removeItem(L+s)}catch{}}var Pt="0.1.0",Fe=["operator.admin","operator.read","operator.write","operator.approvals","operator.pairing"],Dt=3e4,A=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/`,P=`openclaw.control.token.v1:${A}`;function B(){if(typeof crypto.randomUUID=="function")return crypto.randomUUID();let s=[...crypto.getRandomValues(new Uint8Array(16))].map(e=>e.toString(16).padStart(2,"0")).join("");return`${s.slice(0,8)}-${s.slice(8,12)}-${s.slice(12,16)}-${s.slice(16,20)}-${s.slice(20)}`}var Je="openclaw.control.instance.v1";function Nt(){try{let s=sessionStorage.getItem(Je);if(s&&/^[\w-]{8,64}$/.test(s))return s;let e=B();return sessionStorage.setItem(Je,e),e}catch{return B()}}function Ge(){let s=new URL(location.href),e=new URLSearchParams(s.hash.slice(1)),t=e.get("token")??s.searchParams.get("token");if(!t)return;sessionStorage.setItem(P,t.slice(0,4096)),e.delete("token"),s.searchParams.delete("token");let n=e.toString();history.replaceState(null,"",s.pathname+s.search+(n?`#${n}`:""))}var oe=class extends EventTarget{#e;#t=new Map;#s=0;#n=800;#o;state="idle";error="";hello;device;start(){clearTimeout(this.#o);let e=sessionStorage.getItem(P)??"";if(!e&&!Ve(A))return this.#i("signed-out","");this.#i(this.state==="reconnecting"?"reconnecting":"connecting",this.error);let t=new WebSocket(A);this.#e=t,t.onmessage=n=>this.#r(t,e,n.data),t.onclose=n=>{if(this.#e!==t)return;for(let o of this.#t.values())o.reject(new Error("Connection closed"));if(this.#t.clear(),this.state==="auth-failed"||this.state==="signed-out")return;let i=n.code===1008?`rejected (${n.reason||"policy"})`:"gateway gone";this.#i("reconnecting",`Disconnected: ${i}; retrying in ${this.#n} ms`),this.#o=setTimeout(()=>this.start(),this.#n),this.#n=Math.min(this.#n*2,15e3)}}signIn(e){sessionStorage.setItem(P,e.slice(0,4096)),this.start()}async signOut(){let e=this.device?.id,t=this.state==="connected";sessionStorage.removeItem(P),ie(A),this.#i("signed-out",""),e&&t&&await this.request("device.token.revoke",{deviceId:e,role:"operator"}).catch(()=>{}),this.#e?.close()}on(e,t){let n=i=>{i.detail.event===e&&t(i.detail.payload??{},i.detail)};return this.addEventListener("gw-event",n),()=>this.removeEventListener("gw-event",n)}#i(e,t){this.state=e,this.error=t,this.dispatchEvent(new Event("state"))}#r(e,t,n){let i;try{i=JSON.parse(String(n))}catch{return}if(i.type==="event"&&i.event==="connect.challenge"){let o=i.payload??{};try{typeof o.payloadJson=="string"&&(o=JSON.parse(o.payloadJson))}catch{}this.#c(e,t,o).catch(a=>this.#a(e,t,a,!1))}else if(i.type==="res"){let o=this.#t.get(i.id);if(!o)return;this.#t.delete(i.id),i.ok?o.resolve(i.payload):o.reject(Object.assign(new Error(i.error?.message??"Request failed"),i.error))}else i.type==="event"&&this.dispatchEvent(new CustomEvent("gw-event",{detail:i}))}async#c(e,t,n){let i=await Ke(),o=i?We(A,i.deviceId):void 0;if(!t&&!o)return this.#i("signed-out",""),e.close();let a={id:"openclaw-control-ui",version:Pt,platform:(navigator.platform||"web").slice(0,64),mode:"webchat",instanceId:Nt()},c=i&&typeof n.nonce=="string"&&Number.isFinite(n.ts)?await je(i,n,{clientId:a.id,clientMode:a.mode,role:"operator",scopes:Fe,token:t||o,platform:a.platform}):void 0;try{let d=await this.request("connect",{minProtocol:3,maxProtocol:4,client:a,role:"operator",scopes:Fe,caps:["tool-events"],auth:{...t?{token:t}:{},...o?{deviceToken:o}:{}},...c?{device:c}:{}},e);c&&Be(A,c.id,d.auth),this.device=c?{id:c.id,via:o&&d.auth?.deviceToken===o?"device-token":"secret"}:void 0,this.hello=d,this.#n=800,this.#i("connected","")}catch(d){this.#a(e,t,d,o!==void 0)}}#a(e,t,n,i){let a=(n.code??"")==="RATE_LIMITED"||/rate/i.test(n.message),c=a?`Too many attempts: ${n.message}`:`Sign-in failed: ${n.message}`;i&&!a&&ie(A),a||sessionStorage.removeItem(P),this.#i(t||!i?"auth-failed":"signed-out",c),e.close()}request(e,t={},n=this.#e){return new Promise((i,o)=>{if(!n||n.readyState!==WebSocket.OPEN)return o(new Error("Not connected"));let a=`ui-${++this.#s}`,c=setTimeout(()=>{this.#t.delete(a),o(new Error(`${e} timed out`))},Dt);this.#t.set(a,{resolve:d=>(clearTimeout(c),i(d)),reject:d=>(clearTimeout(c),o(d))}),n.send(JSON.stringify({type:"req",id:a,method:e,params:t}))})}},l=new oe;var F=globalThis,G=F.ShadowRoot&&(F.ShadyCSS===void 0||F.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,Xe=Symbol(),ze=new WeakMap,J=class{constructor(e,t,n){if(this._$cssResult$=!0,n!==Xe)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(G&&e===void 0){let n=t!==void 0&&t.length===1;n&&(e=ze.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),n&&ze.set(t,e))}return e}toString(){return this.cssText}},Ye=s=>new J(typeof s=="string"?s:s+"",void 0,Xe);var Qe=(s,e)=>{if(G)s.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let n=document.createElement("style"),i=F.litNonce;i!==void 0&&n.setAttribute("nonce",i),n.textContent=t.cssText,s.appendChild(n)}},re=G?s=>s:s=>s instanceof CSSStyleSheet?(e=>{let t="";for(let n of e.cssRules)t+=n.cssText;return Ye(t)})(s):s;var{is:Ut,defineProperty:Ht,getOwnPropertyDescriptor:Kt,getOwnPropertyNames:jt,getOwnPropertySymbols:Wt,getPrototypeOf:Vt}=Object,z=globalThis,Ze=z.trustedTypes,Bt=Ze?Ze.emptyScript:"",Ft=z.reactiveElementPolyfillSupport,D=(s,e)=>s,ae={toAttribute(s,e){switch(e){case Boolean:s=s?Bt:null;break;case Object:case Array:s=s==null?s:JSON.stringify(s)}return s},fromAttribute(s,e){let t=s;switch(e){case Boolean:t=s!==null;break;case Number:t=s===null?null:Number(s);break;case Object:case Array:try{t=JSON.parse(s)}catch{t=null}}return t}},tt=(s,e)=>!Ut(s,e),et={attribute:!0,type:String,converter:ae,reflect:!1,useDefault:!1,hasChanged:tt};Symbol.metadata??=Symbol("metadata"),z.litPropertyMetadata??=new WeakMap;var b=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=et){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let n=Symbol(),i=this.getPropertyDescriptor(e,n,t);i!==void 0&&Ht(this.prototype,e,i)}}static getPropertyDescriptor(e,t,n){let{get:i,set:o}=Kt(this.prototype,e)??{get(){return this[t]},set(a){this[t]=a}};return{get:i,set(a){let c=i?.call(this);o?.call(this,a),this.requestUpdate(e,c,n)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??et}static _$Ei(){if(this.hasOwnProperty(D("elementProperties")))return;let e=Vt(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(D("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(D("properties"))){let t=this.properties,n=[...jt(t),...Wt(t)];for(let i of n)this.createProperty(i,t[i])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[n,i]of t)this.elementProperties.set(n,i)}this._$Eh=new Map;for(let[t,n]of this.elementProperties){let i=this._$Eu(t,n);i!==void 0&&this._$Eh.set(i,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let n=new Set(e.flat(1/0).reverse());for(let i of n)t.unshift(re(i))}else e!==void 0&&t.push(re(e));return t}static _$Eu(e,t){let n=t.attribute;return n===!1?void 0:typeof n=="string"?n:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let n of t.keys())this.hasOwnProperty(n)&&(e.set(n,this[n]),delete this[n]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return Qe(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,n){this._$AK(e,n)}_$ET(e,t){let n=this.constructor.elementProperties.get(e),i=this.constructor._$Eu(e,n);if(i!==void 0&&n.reflect===!0){let o=(n.converter?.toAttribute!==void 0?n.converter:ae).toAttribute(t,n.type);this._$Em=e,o==null?this.removeAttribute(i):this.setAttribute(i,o),this._$Em=null}}_$AK(e,t){let n=this.constructor,i=n._$Eh.get(e);if(i!==void 0&&this._$Em!==i){let o=n.getPropertyOptions(i),a=typeof o.converter=="function"?{fromAttribute:o.converter}:o.converter?.fromAttribute!==void 0?o.converter:ae;this._$Em=i;let c=a.fromAttribute(t,o.type);this[i]=c??this._$Ej?.get(i)??c,this._$Em=null}}requestUpdate(e,t,n,i=!1,o){if(e!==void 0){let a=this.constructor;if(i===!1&&(o=this[e]),n??=a.getPropertyOptions(e),!((n.hasChanged??tt)(o,t)||n.useDefault&&n.reflect&&o===this._$Ej?.get(e)&&!this.hasAttribute(a._$Eu(e,n))))return;this.C(e,t,n)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:n,reflect:i,wrapped:o},a){n&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,a??t??this[e]),o!==!0||a!==void 0)||(this._$AL.has(e)||(this.hasUpdated||n||(t=void 0),this._$AL.set(e,t)),i===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[i,o]of this._$Ep)this[i]=o;this._$Ep=void 0}let n=this.constructor.elementProperties;if(n.size>0)for(let[i,o]of n){let{wrapped:a}=o,c=this[i];a!==!0||this._$AL.has(i)||c===void 0||this.C(i,void 0,o,c)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(n=>n.hostUpdate?.()),this.update(t)):this._$EM()}catch(n){throw e=!1,this._$EM(),n}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};b.elementStyles=[],b.shadowRootOptions={mode:"open"},b[D("elementProperties")]=new Map,b[D("finalized")]=new Map,Ft?.({ReactiveElement:b}),(z.reactiveElementVersions??=[]).push("2.1.2");var fe=globalThis,st=s=>s,X=fe.trustedTypes,nt=X?X.createPolicy("lit-html",{createHTML:s=>s}):void 0,lt="$lit$",E=`lit$${Math.random().toFixed(9).slice(2)}$`,dt="?"+E,Jt=`<${dt}>`,x=document,U=()=>x.createComment(""),H=s=>s===null||typeof s!="object"&&typeof s!="function",me=Array.isArray,Gt=s=>me(s)||typeof s?.[Symbol.iterator]=="function",ce=`[ 	
\f\r]`,N=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,it=/-->/g,ot=/>/g,k=RegExp(`>|${ce}(?:([^\\s"'>=/]+)(${ce}*=${ce}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),rt=/'/g,at=/"/g,ht=/^(?:script|style|textarea|title)$/i,$e=s=>(e,...t)=>({_$litType$:s,strings:e,values:t}),r=$e(1),Ms=$e(2),qs=$e(3),T=Symbol.for("lit-noChange"),p=Symbol.for("lit-nothing"),ct=new WeakMap,C=x.createTreeWalker(x,129);function ut(s,e){if(!me(s)||!s.hasOwnProperty("raw"))throw Error("invalid template strings array");return nt!==void 0?nt.createHTML(e):e}var zt=(s,e)=>{let t=s.length-1,n=[],i,o=e===2?"<svg>":e===3?"<math>":"",a=N;for(let c=0;c<t;c++){let d=s[c],u,f,h=-1,_=0;for(;_<d.length&&(a.lastIndex=_,f=a.exec(d),f!==null);)_=a.lastIndex,a===N?f[1]==="!--"?a=it:f[1]!==void 0?a=ot:f[2]!==void 0?(ht.test(f[2])&&(i=RegExp("</"+f[2],"g")),a=k):f[3]!==void 0&&(a=k):a===k?f[0]===">"?(a=i??N,h=-1):f[1]===void 0?h=-2:(h=a.lastIndex-f[2].length,u=f[1],a=f[3]===void 0?k:f[3]==='"'?at:rt):a===at||a===rt?a=k:a===it||a===ot?a=N:(a=k,i=void 0);let w=a===k&&s[c+1].startsWith("/>")?" ":"";o+=a===N?d+Jt:h>=0?(n.push(u),d.slice(0,h)+lt+d.slice(h)+E+w):d+E+(h===-2?c:w)}return[ut(s,o+(s[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),n]},K=class s{constructor({strings:e,_$litType$:t},n){let i;this.parts=[];let o=0,a=0,c=e.length-1,d=this.parts,[u,f]=zt(e,t);if(this.el=s.createElement(u,n),C.currentNode=this.el.content,t===2||t===3){let h=this.el.content.firstChild;h.replaceWith(...h.childNodes)}for(;(i=C.nextNode())!==null&&d.length<c;){if(i.nodeType===1){if(i.hasAttributes())for(let h of i.getAttributeNames())if(h.endsWith(lt)){let _=f[a++],w=i.getAttribute(h).split(E),W=/([.?@])?(.*)/.exec(_);d.push({type:1,index:o,name:W[2],strings:w,ctor:W[1]==="."?de:W[1]==="?"?he:W[1]==="@"?ue:M}),i.removeAttribute(h)}else h.startsWith(E)&&(d.push({type:6,index:o}),i.removeAttribute(h));if(ht.test(i.tagName)){let h=i.textContent.split(E),_=h.length-1;if(_>0){i.textContent=X?X.emptyScript:"";for(let w=0;w<_;w++)i.append(h[w],U()),C.nextNode(),d.push({type:2,index:++o});i.append(h[_],U())}}}else if(i.nodeType===8)if(i.data===dt)d.push({type:2,index:o});else{let h=-1;for(;(h=i.data.indexOf(E,h+1))!==-1;)d.push({type:7,index:o}),h+=E.length-1}o++}}static createElement(e,t){let n=x.createElement("template");return n.innerHTML=e,n}};function I(s,e,t=s,n){if(e===T)return e;let i=n!==void 0?t._$Co?.[n]:t._$Cl,o=H(e)?void 0:e._$litDirective$;return i?.constructor!==o&&(i?._$AO?.(!1),o===void 0?i=void 0:(i=new o(s),i._$AT(s,t,n)),n!==void 0?(t._$Co??=[])[n]=i:t._$Cl=i),i!==void 0&&(e=I(s,i._$AS(s,e.values),i,n)),e}var le=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:n}=this._$AD,i=(e?.creationScope??x).importNode(t,!0);C.currentNode=i;let o=C.nextNode(),a=0,c=0,d=n[0];for(;d!==void 0;){if(a===d.index){let u;d.type===2?u=new j(o,o.nextSibling,this,e):d.type===1?u=new d.ctor(o,d.name,d.strings,this,e):d.type===6&&(u=new pe(o,this,e)),this._$AV.push(u),d=n[++c]}a!==d?.index&&(o=C.nextNode(),a++)}return C.currentNode=x,i}p(e){let t=0;for(let n of this._$AV)n!==void 0&&(n.strings!==void 0?(n._$AI(e,n,t),t+=n.strings.length-2):n._$AI(e[t])),t++}},j=class s{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,n,i){this.type=2,this._$AH=p,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=n,this.options=i,this._$Cv=i?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=I(this,e,t),H(e)?e===p||e==null||e===""?(this._$AH!==p&&this._$AR(),this._$AH=p):e!==this._$AH&&e!==T&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):Gt(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==p&&H(this._$AH)?this._$AA.nextSibling.data=e:this.T(x.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:n}=e,i=typeof n=="number"?this._$AC(e):(n.el===void 0&&(n.el=K.createElement(ut(n.h,n.h[0]),this.options)),n);if(this._$AH?._$AD===i)this._$AH.p(t);else{let o=new le(i,this),a=o.u(this.options);o.p(t),this.T(a),this._$AH=o}}_$AC(e){let t=ct.get(e.strings);return t===void 0&&ct.set(e.strings,t=new K(e)),t}k(e){me(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,n,i=0;for(let o of e)i===t.length?t.push(n=new s(this.O(U()),this.O(U()),this,this.options)):n=t[i],n._$AI(o),i++;i<t.length&&(this._$AR(n&&n._$AB.nextSibling,i),t.length=i)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let n=st(e).nextSibling;st(e).remove(),e=n}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},M=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,n,i,o){this.type=1,this._$AH=p,this._$AN=void 0,this.element=e,this.name=t,this._$AM=i,this.options=o,n.length>2||n[0]!==""||n[1]!==""?(this._$AH=Array(n.length-1).fill(new String),this.strings=n):this._$AH=p}_$AI(e,t=this,n,i){let o=this.strings,a=!1;if(o===void 0)e=I(this,e,t,0),a=!H(e)||e!==this._$AH&&e!==T,a&&(this._$AH=e);else{let c=e,d,u;for(e=o[0],d=0;d<o.length-1;d++)u=I(this,c[n+d],t,d),u===T&&(u=this._$AH[d]),a||=!H(u)||u!==this._$AH[d],u===p?e=p:e!==p&&(e+=(u??"")+o[d+1]),this._$AH[d]=u}a&&!i&&this.j(e)}j(e){e===p?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},de=class extends M{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===p?void 0:e}},he=class extends M{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==p)}},ue=class extends M{constructor(e,t,n,i,o){super(e,t,n,i,o),this.type=5}_$AI(e,t=this){if((e=I(this,e,t,0)??p)===T)return;let n=this._$AH,i=e===p&&n!==p||e.capture!==n.capture||e.once!==n.once||e.passive!==n.passive,o=e!==p&&(n===p||i);i&&this.element.removeEventListener(this.name,this,n),o&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},pe=class{constructor(e,t,n){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=n}get _$AU(){return this._$AM._$AU}_$AI(e){I(this,e)}};var Xt=fe.litHtmlPolyfillSupport;Xt?.(K,j),(fe.litHtmlVersions??=[]).push("3.3.3");var pt=(s,e,t)=>{let n=t?.renderBefore??e,i=n._$litPart$;if(i===void 0){let o=t?.renderBefore??null;n._$litPart$=i=new j(e.insertBefore(U(),o),o,void 0,t??{})}return i._$AI(s),i};var ge=globalThis,v=class extends b{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=pt(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return T}};v._$litElement$=!0,v.finalized=!0,ge.litElementHydrateSupport?.({LitElement:v});var Yt=ge.litElementPolyfillSupport;Yt?.({LitElement:v});(ge.litElementVersions??=[]).push("4.2.2");var ve=document.documentElement.dataset.basePath||"/";function ye(){let s=location.pathname.startsWith(ve)?location.pathname.slice(ve.length):"";return decodeURIComponent(s.split("/")[0]??"")}function q(s){return`${ve}${s}`}function Qt(s){ye()!==s&&history.pushState(null,"",q(s)),dispatchEvent(new Event("route"))}function ft(){location.hash.startsWith("#/")&&history.replaceState(null,"",q(location.hash.slice(2))),addEventListener("popstate",()=>dispatchEvent(new Event("route"))),document.addEventListener("click",s=>{let e=s.target instanceof Element?s.target.closest("a[data-route]"):null;!e||s.defaultPrevented||s.button!==0||s.metaKey||s.ctrlKey||s.shiftKey||(s.preventDefault(),Qt(e.dataset.route))})}var g=class extends v{#e=e=>this.onGatewayEvent?.(e.detail);#t=()=>{l.state==="connected"&&this.onConnected?.()};createRenderRoot(){return this}connectedCallback(){super.connectedCallback(),l.addEventListener("gw-event",this.#e),l.addEventListener("state",this.#t)}disconnectedCallback(){super.disconnectedCallback(),l.removeEventListener("gw-event",this.#e),l.removeEventListener("state",this.#t)}},y=class extends g{static properties={_error:{state:!0},_note:{state:!0},_busy:{state:!0}};pollMs=0;#e;#t;constructor(){super(),this._error="",this._note="",this._busy=""}connectedCallback(){super.connectedCallback(),this.refresh()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e),this.#e=void 0,clearTimeout(this.#t)}onConnected(){this.refresh()}async refresh(){clearTimeout(this.#t),await this.load(),clearTimeout(this.#t),this.pollMs>0&&this.isConnected&&(this.#t=setTimeout(()=>this.refresh(),this.pollMs))}reloadSoon(e){this.#e||(this.#e=setTimeout(()=>{this.#e=void 0,this.refresh()},e))}async act(e,t,n=i=>i.message){this._busy=e;try{this._note=await t(),this._error=""}catch(i){this._note="",this._error=n(i)}finally{this._busy=""}await this.refresh()}};function R(s){let e=s?.content;return typeof e=="string"?e:Array.isArray(e)?e.filter(t=>t.type==="text").map(t=>t.text).join(""):""}function m(s,e=Date.now()){if(!s)return"never";let t=Math.max(0,Math.round((e-s)/1e3));return t<60?`${t} s ago`:t<3600?`${Math.round(t/60)} min ago`:t<86400?`${Math.round(t/3600)} h ago`:`${Math.round(t/86400)} d ago`}function Y(s){let e=Math.round((s??0)/1e3);if(e<60)return`${e} s`;let t=Math.floor(e/60);if(t<60)return`${t} min ${e%60} s`;let n=Math.floor(t/60);return n<48?`${n} h ${t%60} min`:`${Math.floor(n/24)} d ${n%24} h`}function Q(s){return typeof s!="number"?"\u2013":s<1e3?String(s):s<1e6?`${(s/1e3).toFixed(1)}k`:`${(s/1e6).toFixed(1)}M`}var _e={"allow-once":"Allow once","allow-always":"Always allow",deny:"Deny"};function Zt(s,e=Date.now()){if(!s)return"";let t=s-e;return t<=0?"expired":`expires in ${Y(t)}`}function mt(s,e,t=Date.now()){let n=s.request??{},i=Array.isArray(n.allowedDecisions)&&n.allowedDecisions.length?n.allowedDecisions.filter(o=>o in _e):Object.keys(_e);return r`
    <section class="approval" role="alertdialog" aria-label="Exec approval" tabindex="-1"
      aria-describedby=${`appr-${s.id}`} data-approval=${s.id}>
      <p id=${`appr-${s.id}`}>The agent wants to run a command.</p>
      <pre class="cmd" aria-label="Command">${n.command??s.command??""}</pre>
      <dl class="approval-meta">
        <dt>Directory</dt>
        <dd>${n.cwd??"\u2013"}</dd>
        <dt>Agent</dt>
        <dd>${n.agentId??"\u2013"}</dd>
        <dt>Session</dt>
        <dd>${n.sessionKey??"\u2013"}</dd>
        <dt>Expiry</dt>
        <dd data-testid="approval-expiry">${Zt(s.expiresAtMs,t)}</dd>
      </dl>
      <div class="row">
          ${i.map(o=>r`<button type="button" data-decision=${o} @click=${()=>e(o)}>${_e[o]}</button>`)}
        </div>
    </section>
  `}var es=/^\/(new|reset)(\s|$)/i;function ts(s){let e=[];for(let t of s??[]){if(t.role==="toolResult"){let i=e.findLast(o=>o.kind==="tool"&&o.id===t.toolCallId);i&&Object.assign(i,{done:!0,isError:t.isError,output:R(t)});continue}let n=R(t);if(n&&e.push({kind:"msg",role:t.role,text:n,done:"final"}),Array.isArray(t.content))for(let i of t.content)i.type==="toolCall"&&e.push({kind:"tool",id:i.id,name:i.name,args:i.arguments,done:!0})}return e}var be=class extends g{static properties={_session:{state:!0},_sessions:{state:!0},_rows:{state:!0},_approvals:{state:!0},_running:{state:!0},_error:{state:!0}};#e;#t;#s=!1;#n;constructor(){super(),this._session=new URLSearchParams(location.search).get("session")?.slice(0,512)||"main",this._sessions=[],this._rows=[],this._approvals=[],this._running=!1,this._error=""}connectedCallback(){super.connectedCallback(),this.load()}onConnected(){this.load()}async load(){try{let e=await l.request("sessions.list",{limit:200});this._sessions=(e.sessions??[]).map(t=>t.key)}catch{}try{let e=this._session,t=await l.request("chat.history",{sessionKey:e,limit:100});if(this.#t||e!==this._session)return;if(typeof t.sessionKey=="string"&&t.sessionKey!==e){this._session=t.sessionKey;let n=new URL(location.href);n.searchParams.has("session")&&(n.searchParams.set("session",t.sessionKey),history.replaceState(history.state,"",n))}this._rows=ts(t.messages),this._error=""}catch(e){this._error=`History failed: ${e.message}`}}async send(){let e=this.querySelector("textarea"),t=e.value.trim();if(t){e.value="",this.#s=es.test(t),this.#t={kind:"msg",role:"assistant",text:"",done:void 0},this._rows=[...this._rows,{kind:"msg",role:"user",text:t,done:"final"},this.#t],this.#e=void 0,this._running=!0;try{let n=await l.request("chat.send",{sessionKey:this._session,message:t,idempotencyKey:B()});this.#e=n?.runId}catch(n){this.#o("error",`Error: ${n.message}`)}}}abort(){l.request("chat.abort",{sessionKey:this._session,...this.#e?{runId:this.#e}:{}}).catch(()=>{})}#o(e,t){if(!this.#t)return;t!==void 0&&(this.#t.text=t),this.#t.done=e;let n=this.#t;this.#t=void 0,this._running=!1,this._rows=e==="final"&&this.#s?[{kind:"divider",text:"Session reset"},n]:[...this._rows],this.#s=!1}#i(e){return this.#t&&(!this.#e||!e.runId||e.runId===this.#e)}onGatewayEvent(e){let t=e.payload??{};e.event==="chat"&&this.#i(t)?((t.state==="delta"||t.state==="final")&&(this.#t.text=R(t.message)||this.#t.text,this._rows=[...this._rows]),t.state==="final"&&this.#o("final"),t.state==="aborted"&&this.#o("aborted",`${this.#t.text} [aborted]`),t.state==="error"&&this.#o("error",`${this.#t.text} [error: ${t.errorMessage??"failed"}]`)):e.event==="agent"&&t.stream==="tool"&&this.#i(t)?this.#c(t.data??{}):e.event==="exec.approval.requested"?(this._approvals.some(n=>n.id===t.id)||(this._approvals=[...this._approvals,t],this.updateComplete.then(()=>this.querySelector(`[data-approval="${CSS.escape(String(t.id))}"]`)?.focus())),this.#r()):e.event==="exec.approval.resolved"&&(this._approvals=this._approvals.filter(n=>n.id!==t.id))}#r(){clearInterval(this.#n),this.#n=setInterval(()=>{this._approvals=this._approvals.filter(e=>!e.expiresAtMs||e.expiresAtMs>Date.now()),(!this._approvals.length||!this.isConnected)&&clearInterval(this.#n)},1e3)}disconnectedCallback(){super.disconnectedCallback(),clearInterval(this.#n)}#c(e){let t=this._rows.find(n=>n.kind==="tool"&&n.id===e.toolCallId);if(!t){t={kind:"tool",id:e.toolCallId,name:e.name,args:e.args,done:!1};let n=this._rows.indexOf(this.#t);this._rows=n<0?[...this._rows,t]:[...this._rows.slice(0,n),t,...this._rows.slice(n)]}e.phase==="update"&&(t.output=R({content:e.partialResult?.content})),e.phase==="result"&&Object.assign(t,{done:!0,isError:e.isError,output:R({content:e.result?.content})}),this._rows=[...this._rows]}#a(e,t){this._approvals=this._approvals.filter(n=>n.id!==e.id),this.updateComplete.then(()=>this.querySelector("[data-approval], textarea[aria-label='Message']")?.focus()),l.request("exec.approval.resolve",{id:e.id,decision:t}).catch(n=>{this._error=`Approval failed: ${n.message}`})}updated(){let e=this.querySelector(".msgs");e&&(e.scrollTop=e.scrollHeight)}#l(e){if(e.kind==="divider")return r`<p class="divider" role="separator">${e.text}</p>`;if(e.kind==="tool"){let t=e.done?e.isError?"error":"done":"running",n=typeof e.args?.command=="string"?e.args.command:void 0;return r`
        <details class="tool" data-tool=${e.name} data-state=${t}
          ?open=${e.name==="exec"}>
                <summary>${{running:"\u2026",done:"\u2713",error:"\u2717"}[t]} ${e.name}${n?r`: <code>${n.slice(0,120)}</code>`:null} <span class="muted">${t}</span></summary>
                ${n?null:r`<pre>${JSON.stringify(e.args??{},null,2)}</pre>`}
                ${e.output?r`<pre class="tool-output">${e.output}</pre>`:null}
              </details>
      `}return r`<div class="msg ${e.role}" data-role=${e.role} data-done=${e.done??p}>${e.text}</div>`}render(){let e=this._sessions.includes(this._session)?this._sessions:[this._session,...this._sessions];return r`
      <h1 class="sr-only">Chat</h1>
      <div class="chat-session">
        <label for="chat-session">Session</label>
        <select id="chat-session" @change=${t=>{this._session=t.target.value,this.load()}}>
          ${e.map(t=>r`<option .value=${t} ?selected=${t===this._session}>${t}</option>`)}
        </select>
      </div>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      <div class="msgs" role="log" aria-label="Conversation" aria-live="polite" data-testid="messages">${this._rows.map(t=>this.#l(t))}</div>
      ${this._approvals.map(t=>mt(t,n=>this.#a(t,n)))}
      <form class="row" @submit=${t=>(t.preventDefault(),this.send())}>
        <textarea aria-label="Message" maxlength="100000"
          placeholder="Message (Enter sends, Shift+Enter new line; /new, /status)"
          @keydown=${t=>{t.key==="Enter"&&!t.shiftKey&&(t.preventDefault(),this.send())}}></textarea>
        <button type="submit">Send</button>
        <button type="button" @click=${()=>this.abort()} ?disabled=${!this._running}>Abort</button>
      </form>
    `}};customElements.define("oc-chat",be);function $(s,e){return r`
    <dt>${s}</dt>
    <dd>${e??"\u2013"}</dd>
  `}function Z(s,e,t){return r`<section class="card" aria-label=${s} data-testid=${t}>
    <h2>${s}</h2>${e}
  </section>`}function $t(s,e,t){let n=s?.gateway??{},i=s?Y(s.uptimeMs+(t-e)):void 0;return Z("Gateway",r`<dl>
      ${$("Version",s?.version)} ${$("Uptime",i)}
      ${$("Bind",n.bind?`${n.bind} (${n.bindHost}:${n.port})`:void 0)}
      ${$("Auth mode",s?.authMode)} ${$("Protocol",s?.protocol)}
      ${$("Runtime",s?.runtimeVersion)} ${$("Process id",s?.pid)}
    </dl>`,"card-gateway")}function gt(s,e,t){let n=s?.model??{},i=e?.models??[],o=i.find(a=>a.isDefault);return Z("Model",r`<dl>
      ${$("Default model",n.model??(o?`${o.provider}/${o.id}`:void 0))}
      ${$("Credential",n.credential)}
      ${$("Models",e?String(i.length):void 0)}
      ${$("Agents",t?`${t.agents?.length??0} (default ${t.defaultId})`:void 0)}
      ${$("Sessions",s?.sessions?String(s.sessions.count):void 0)}
    </dl>`,"card-model")}function vt(s){let e=s?.channelOrder??Object.keys(s?.channels??{}),t=s?e.length===0?r`<p class="muted">No channels configured.</p>`:r`<ul class="plain">${e.map(n=>{let i=s.channels[n]??{},o=i.connected?"connected":i.running?"running":i.configured?"stopped":"not configured";return r`<li><strong>${n}</strong> <span class="badge" data-state=${o}>${o}</span>
            ${i.accounts?.length>1?r`<span class="muted">${i.accounts.length} accounts</span>`:null}
            ${i.lastError?r`<span class="error">${i.lastError}</span>`:null}</li>`})}</ul>`:r`<p class="muted">–</p>`;return Z("Channels",t,"card-channels")}function yt(s,e){let t=s?.config?.issues??e?.config?.issues??[],n=s?.config?.valid??e?.config?.valid;return Z("Health",r`<dl>
      ${$("Health",s?s.ok?"ok":"failing":void 0)}
      ${$("Config",n===void 0?void 0:n?"valid":`${t.length} issues`)}
      ${$("Heartbeat",s?s.heartbeatSeconds?`every ${s.heartbeatSeconds} s`:"off":void 0)}
      ${$("Checked in",s?`${s.durationMs} ms`:void 0)}
    </dl>
    ${t.length?r`<ul class="error">${t.slice(0,5).map(i=>r`<li>${i.path??""} ${i.message??i}</li>`)}</ul>`:null}`,"card-health")}function _t(s,e,t){let n=Array.isArray(s)?s:[],i=(e?.nodes??[]).filter(o=>o.connected).length;return r`
    <section class="card wide" aria-label="Connected clients" data-testid="card-presence">
      <h2>Connected clients and nodes</h2>
      <p class="muted">${n.length} in presence · ${e?`${i} of ${e.nodes.length} nodes connected`:"nodes \u2013"}</p>
      <div class="scroll-x">
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Mode</th>
              <th scope="col">Platform</th>
              <th scope="col">Address</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>${n.map(o=>r`
              <tr>
                <td data-label="Client">${o.host??"?"}${o.version?r`
                    <span class="muted">${o.version}</span>
                  `:null}</td>
                <td data-label="Mode">${o.mode??"\u2013"}</td>
                <td data-label="Platform">${[o.platform,o.deviceFamily].filter(Boolean).join(" \xB7 ")||"\u2013"}</td>
                <td data-label="Address">${o.ip??"local"}</td>
                <td data-label="Since">${m(o.ts,t)}</td>
              </tr>
            `)}</tbody>
        </table>
      </div>
    </section>
  `}var we={status:"status",health:"health",presence:"system-presence",models:"models.list",agents:"agents.list",channels:"channels.status",nodes:"node.list"},ss=5e3,Ee=class extends g{static properties={_data:{state:!0},_errors:{state:!0}};refreshMs=ss;#e;#t=!1;#s=0;constructor(){super(),this._data=void 0,this._errors={}}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e)}onConnected(){this.load()}onGatewayEvent(e){e.event==="presence"&&this.#n(250)}#n(e){clearTimeout(this.#e),this.isConnected&&(this.#e=setTimeout(()=>this.load(),e))}async load(){if(this.#t)return;this.#t=!0,clearTimeout(this.#e);let e={},t={};await Promise.all(Object.entries(we).map(async([n,i])=>{try{e[n]=await l.request(i,{})}catch(o){t[n]=`${i}: ${o.message}`}})),this.#t=!1,this.#s=Date.now(),this._data=e,this._errors=t,this.#n(this.refreshMs)}render(){let e=this._data;if(!e)return r`<p role="status">Loading…</p>`;let t=Date.now(),n=Object.values(this._errors),i=l.device;return r`
      <div class="page-head">
        <h1>Overview</h1>
        <button type="button" @click=${()=>this.load()}>Refresh</button>
      </div>
      ${n.length?r`<p class="error" role="alert">Some details are missing: ${n.join("; ")}</p>`:null}
      <div class="grid">
        ${$t(e.status,this.#s,t)} ${gt(e.status,e.models,e.agents)}
        ${vt(e.channels)} ${yt(e.health,e.status)}
      </div>
      ${_t(e.presence,e.nodes,t)}
      <p class="muted" data-testid="this-device">This browser: ${i?`device ${i.id.slice(0,12)}\u2026, signed in with ${i.via==="device-token"?"its device token":"the gateway secret"}`:"no device identity (signed in with the gateway secret only)"}</p>
      <details class="raw">
        <summary>Raw snapshots</summary>
        ${Object.keys(we).map(o=>r`
            <h3>${we[o]}</h3>
            <pre>${JSON.stringify(e[o]??null,null,2)}</pre>
          `)}
      </details>
    `}};customElements.define("oc-overview",Ee);function bt(s){return`${q("chat")}?session=${encodeURIComponent(s)}`}function ns(s,e){return s.providerOverride&&s.modelOverride?`${s.providerOverride}/${s.modelOverride}`:e?.model?`${e.modelProvider?`${e.modelProvider}/`:""}${e.model} (default)`:"\u2013"}var Se=class extends y{static properties={_rows:{state:!0},_defaults:{state:!0},_count:{state:!0},_confirm:{state:!0}};constructor(){super(),this._rows=void 0,this._defaults=void 0,this._count="",this._confirm=""}onGatewayEvent(e){e.event==="sessions.changed"&&this.reloadSoon(250)}async load(){try{let e=await l.request("sessions.list",{limit:200});this._rows=e.sessions??[],this._defaults=e.defaults;let t=e.hasMore?` (the newest ${e.count} of ${e.totalCount} shown)`:"";this._count=`${e.totalCount??this._rows.length} sessions${t}`}catch(e){this._error=`Sessions failed to load: ${e.message}`}}#e(e,t,n){return this.act(e,async()=>n(await l.request(t,{key:e})),i=>`${t} failed for ${e}: ${i.message}`)}#t(e){this.#e(e,"sessions.reset",()=>`Reset ${e}: it starts fresh`)}#s(e){this.#e(e,"sessions.compact",t=>t.compacted?`Compacted ${e}`:`${e} not compacted: ${t.reason??"nothing to do"}`)}#n(e){this._confirm=e,this.updateComplete.then(()=>this.querySelector("[data-confirm-delete]")?.focus())}#o(e){this._confirm="",this.updateComplete.then(()=>this.querySelector(`tr[data-key="${CSS.escape(e)}"] [data-delete]`)?.focus())}#i(e){this._confirm="",this.#e(e,"sessions.delete",t=>t.deleted?`Deleted ${e}`:`${e} was already gone`)}#r(e,t){e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||(e.preventDefault(),history.pushState(null,"",bt(t)),dispatchEvent(new Event("route")))}#c(e){let t=this._busy===e.key;return this._confirm===e.key?r`
        <div class="confirm" role="group" aria-label=${`Confirm delete of ${e.key}`}
          @keydown=${n=>n.key==="Escape"&&this.#o(e.key)}>
          <span>Delete ${e.key} and its transcript?</span>
          <button type="button" class="danger" data-confirm-delete @click=${()=>this.#i(e.key)}>Yes, delete</button>
          <button type="button" @click=${()=>this.#o(e.key)}>Cancel</button>
        </div>
      `:r`
      <div class="actions">
        <a href=${bt(e.key)} @click=${n=>this.#r(n,e.key)}
          aria-label=${`Open ${e.key} in chat`}>Open in chat</a>
        <button type="button" ?disabled=${t} @click=${()=>this.#t(e.key)}
          aria-label=${`Reset ${e.key}`}>Reset</button>
        <button type="button" ?disabled=${t} @click=${()=>this.#s(e.key)}
          aria-label=${`Compact ${e.key}`}>Compact</button>
        <button type="button" data-delete ?disabled=${t} @click=${()=>this.#n(e.key)}
          aria-label=${`Delete ${e.key}`}>Delete</button>
      </div>
    `}#a(e){let t=e.label||e.displayName||e.lastMessagePreview||"",n=e.lastChannel?` \xB7 ${e.lastChannel}`:"";return r`
      <tr data-key=${e.key}>
        <td data-label="Session"><code>${e.key}</code>${e.isMain?r`
            <span class="badge">main</span>
          `:null}${t?r`<div class="muted">${t}</div>`:null}</td>
        <td data-label="Kind">${e.kind??"\u2013"}${n}</td>
        <td data-label="Tokens" class="num">
          <span title="input / output / total">${Q(e.inputTokens??0)} in / ${Q(e.outputTokens??0)} out / ${Q(e.totalTokens??0)}</span>
        </td>
        <td data-label="Model">${ns(e,this._defaults)}</td>
        <td data-label="Last activity" title=${new Date(e.updatedAt).toLocaleString()}>${m(e.updatedAt)}</td>
        <td data-label="Actions">${this.#c(e)}</td>
      </tr>
    `}render(){return r`
      <div class="page-head">
        <h1>Sessions</h1>
        <button type="button" @click=${()=>this.refresh()}>Refresh</button>
      </div>
      <p class="muted" data-testid="sessions-count">${this._rows===void 0?"Loading\u2026":this._count}</p>
      <p role="status" class="note" data-testid="sessions-note">${this._note}</p>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._rows?.length===0?r`<p>No sessions yet: start one in Chat.</p>`:null}
      ${this._rows?.length?r`
          <table class="table cards" aria-label="Sessions">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Kind</th>
                <th scope="col">Tokens</th>
                <th scope="col">Model</th>
                <th scope="col">Last activity</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>${this._rows.map(e=>this.#a(e))}</tbody>
          </table>
        `:null}
    `}};customElements.define("oc-sessions",Se);var Ae=class extends v{static properties={label:{},question:{},yes:{},busy:{type:Boolean},_asking:{state:!0}};constructor(){super(),this.label="Remove",this.question="Are you sure?",this.yes="",this.busy=!1,this._asking=!1}createRenderRoot(){return this}#e(e){this._asking=e,this.updateComplete.then(()=>this.querySelector(e?"button.danger":"button")?.focus())}render(){return this._asking?r`
      <span class="confirm" role="group" aria-label=${this.question}
        @keydown=${e=>e.key==="Escape"&&(e.preventDefault(),this.#e(!1))}>
        <span>${this.question}</span>
        <button type="button" class="danger" @click=${()=>{this._asking=!1,this.dispatchEvent(new CustomEvent("confirm",{bubbles:!0}))}}>${this.yes||this.label}</button>
        <button type="button" @click=${()=>this.#e(!1)}>Cancel</button>
      </span>
    `:r`<button type="button" ?disabled=${this.busy} @click=${()=>this.#e(!0)}>${this.label}</button>`}};customElements.define("oc-confirm-button",Ae);var is=5e3,Ce=class extends y{static properties={_requests:{state:!0}};pollMs=is;constructor(){super(),this._requests=void 0}async load(){try{let e=await l.request("channels.pairing.list",{});this._requests=e.requests??[],this._error=""}catch(e){this._error=`DM requests unavailable: ${e.message}`}}#e(e,t){let n=t==="channels.pairing.approve";return this.act(e.code,async()=>{let i={channel:e.channel,code:e.code};return n&&Object.assign(i,{accountId:e.accountId,notify:!0}),await l.request(t,i),n?`Approved ${ke(e)}: they can talk to the assistant now`:`Dismissed the request from ${ke(e)}`})}render(){let e=this._requests;return r`
      <h2 id="dm-requests">DM access requests</h2>
      <p class="muted">Unknown senders get a pairing code; approve them here. Requests expire after
        1 hour, at most 3 wait per channel.</p>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      <p role="status" class="note">${this._note}</p>
      ${e===void 0?r`<p role="status">Loading…</p>`:e.length===0?r`<p class="muted">No pending requests.</p>`:r`<ul class="cards" aria-labelledby="dm-requests">${e.map(t=>r`
              <li class="card" data-code=${t.code}>
                <div class="card-head">
                  <strong>${ke(t)}</strong>
                  <span class="badge">${t.channel}${t.accountId!=="default"?` \xB7 ${t.accountId}`:""}</span>
                </div>
                <p class="muted">${t.senderId} · code <code>${t.code}</code> · asked ${m(t.createdAt)}</p>
                <div class="actions">
                  <button type="button" ?disabled=${this._busy===t.code}
                    @click=${()=>this.#e(t,"channels.pairing.approve")}>Approve</button>
                  <button type="button" ?disabled=${this._busy===t.code}
                    @click=${()=>this.#e(t,"channels.pairing.dismiss")}>Dismiss</button>
                </div>
              </li>
            `)}</ul>`}
    `}};function ke(s){let e=s.meta?.name??"",t=s.meta?.username?`@${s.meta.username}`:"";return e&&t?`${e} (${t})`:e||t||s.senderId}customElements.define("oc-dm-requests",Ce);var os=5e3,rs=18e4,xe=class extends g{static properties={accountId:{attribute:"account-id"},_state:{state:!0},_qr:{state:!0},_message:{state:!0}};#e=0;constructor(){super(),this.accountId="default",this._state="idle",this._qr="",this._message=""}disconnectedCallback(){super.disconnectedCallback(),this.#e++}async start(){let e=++this.#e,t=()=>e===this.#e&&this.isConnected,n={accountId:this.accountId},i=Date.now()+rs;this._state="starting",this._message="Asking WhatsApp for a QR code\u2026";try{for(;t();){let o=await l.request("web.login.start",{...n,timeoutMs:25e3});if(!t())return;if(!o.qrDataUrl){let c=/already linked/i.test(o.message);this.#t(c?"linked":"failed",o.message);return}this._qr=o.qrDataUrl,this._state="qr",this._message=o.message;let a=await l.request("web.login.wait",{...n,timeoutMs:os});if(!t())return;if(a.connected)return this.#t("linked",a.message);if(Date.now()>i)return this.#t("failed","The QR code expired before it was scanned; try again");await new Promise(c=>setTimeout(c,500))}}catch(o){t()&&this.#t("failed",`Linking failed: ${o.message}`)}}cancel(){this.#e++,this._state="idle",this._qr="",this._message=""}#t(e,t){this._state=e,this._message=t,this._qr="",e==="linked"&&this.dispatchEvent(new CustomEvent("linked",{bubbles:!0,detail:{message:t}}))}render(){let e=this._state;return e==="idle"?r`<button type="button" @click=${()=>this.start()}>Link WhatsApp</button>`:r`
      <div class="wa-link" data-state=${e}>
        ${e==="qr"?r`<img class="qr" src=${this._qr} alt="WhatsApp QR code" width="240" height="240">`:null}
        <p role="status" class=${e==="failed"?"error":""}>${this._message}</p>
        ${e==="qr"?r`<p class="muted">The code refreshes as WhatsApp rotates it.</p>`:null}
        ${e==="starting"||e==="qr"?r`<button type="button" @click=${()=>this.cancel()}>Cancel</button>`:e==="failed"?r`<button type="button" @click=${()=>this.start()}>Try again</button>`:null}
      </div>
    `}};customElements.define("oc-whatsapp-link",xe);var wt={whatsapp:"WhatsApp",telegram:"Telegram"},as={open:"connected",not_linked:"not linked",logged_out:"logged out",waiting_qr:"waiting for scan",gave_up:"gave up reconnecting"};function cs(s){if(!s.enabled)return{text:"disabled",tone:"off"};if(s.connected)return{text:"connected",tone:"ok"};let e=s.connection??s.state;return{text:as[e]??String(e??"stopped").replaceAll("_"," "),tone:s.running?"warn":"off"}}function ls(s){let e=s.bot??s.probe?.bot;return e?e.username?`@${e.username} (id ${e.id})`:e.id:""}var Te=class extends y{static properties={_status:{state:!0}};pollMs=1e4;constructor(){super(),this._status=void 0}onGatewayEvent(e){e.event==="health"&&this.reloadSoon(300)}async load(){try{this._status=await l.request("channels.status",{probe:!1,timeoutMs:8e3}),this._error=""}catch(e){this._error=`Channel status unavailable: ${e.message}`}}#e(e,t){return this.act(`${e}/${t}`,async()=>(await l.request("channels.logout",{channel:e,accountId:t})).message,n=>`Log out failed: ${n.message}`)}#t(e,t){let n=cs(t),i=ls(t),o=`${e}/${t.accountId}`,a=e==="whatsapp",c=[["Running",t.running?"yes":"no"],...t.mode?[["Mode",t.mode]]:[],...a?[["Linked",t.linked?"yes":"no"]]:[],...i?[[a?"Linked as":"Bot",i]]:[],["Last in",m(t.lastInboundAt)],["Last out",m(t.lastOutboundAt)],...t.reconnectAttempts?[["Reconnects",String(t.reconnectAttempts)]]:[]];return r`<li class="card" data-account=${o}>
      <div class="card-head">
        <strong>${t.accountId}</strong>
        <span class="badge" data-tone=${n.tone}>${n.text}</span>
      </div>
      <dl class="facts">${c.map(([d,u])=>r`
          <dt>${d}</dt>
          <dd>${u}</dd>
        `)}</dl>
      ${t.lastError?r`<p class="error">Last error: ${t.lastError}</p>`:null}
      ${a?r`<div class="actions">${t.linked?r`
              <oc-confirm-button label="Log out" yes="Log out"
                question=${`Unlink WhatsApp account ${t.accountId} and delete its credentials?`}
                ?busy=${this._busy===o}
                @confirm=${()=>this.#e(e,t.accountId)}></oc-confirm-button>
            `:r`<oc-whatsapp-link account-id=${t.accountId} @linked=${d=>{this._note=`WhatsApp: ${d.detail.message}`,this.refresh()}}></oc-whatsapp-link>`}</div>`:null}
    </li>`}#s(e,t){let n=t.connected?"ok":t.running?"warn":"off",i=t.connected?"connected":t.running?"running":"stopped";return r`<section class="channel" aria-labelledby=${`ch-${e}`}>
      <div class="card-head">
        <h2 id=${`ch-${e}`}>${wt[e]??e}</h2>
        <span class="badge" data-tone=${n}>${i}</span>
      </div>
      ${t.lastError&&!t.accounts.some(o=>o.lastError===t.lastError)?r`<p class="error">${t.lastError}</p>`:null}
      <ul class="cards" aria-label=${`${wt[e]??e} accounts`}>${t.accounts.map(o=>this.#t(e,o))}</ul>
    </section>`}render(){let e=this._status,t=e?e.channelOrder.filter(n=>e.channels[n]):[];return r`
      <div class="page-head">
        <h1>Channels</h1>
        <button type="button" @click=${()=>this.refresh()}>Refresh</button>
      </div>
      ${e?r`<p class="muted">Updated ${m(e.ts)}.</p>`:null}
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      <p role="status" class="note" data-testid="channels-note">${this._note}</p>
      ${!e&&!this._error?r`<p role="status">Loading…</p>`:null}
      ${e&&t.length===0?r`<p class="muted">No channels configured. Add <code>channels.telegram</code> or
            <code>channels.whatsapp</code> to the config, then come back here.</p>`:null}
      ${t.map(n=>this.#s(n,e.channels[n]))}
      <oc-dm-requests></oc-dm-requests>
    `}};customElements.define("oc-channels",Te);function S(s,e){return r`<span class="badge" data-tone=${e}>${s}</span>`}function O(s,e,t){return e?.length?r`<div class="chip-row"><span class="muted">${s}</span>
    <ul class="chips" aria-label=${s}>${e.map(n=>r`<li class="chip" data-kind=${t}>${n}</li>`)}</ul></div>`:null}function ee(s){return r`<p class="muted">${s.filter(Boolean).join(" \xB7 ")}</p>`}function Et(s,e,[t,n],[i,o]){let a=s._busy===e;return r`
    <div class="actions">
      <button type="button" ?disabled=${a}
        @click=${()=>s.pairAction(t,{requestId:e},n)}>Approve</button>
      <button type="button" ?disabled=${a}
        @click=${()=>s.pairAction(i,{requestId:e},o)}>Reject</button>
    </div>
  `}function St(s,e,t){return r`
    <div class="actions">
      <oc-confirm-button label="Remove" yes="Remove"
        question=${`Remove ${t}? It must pair again to connect.`}
        ?busy=${s._busy===e}
        @confirm=${()=>s.pairAction("device.pair.remove",{deviceId:e},`Removed ${t}`)}></oc-confirm-button>
    </div>
  `}function At(s,e){let t=s.displayName||s.clientId;return r`<li class="card" data-request=${s.requestId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${S(s.isRepair?"re-pair requested":"approval needed","warn")}
    </div>
    ${ee([s.platform,`role ${(s.roles?.length?s.roles:[s.role]).join(", ")}`,`asked ${m(s.ts)}`,`device ${s.deviceId.slice(0,12)}\u2026`])}
    ${O("Requested scopes",s.scopes,"scope")}
    ${Et(e,s.requestId,["device.pair.approve",`Approved ${t}`],["device.pair.reject",`Rejected ${t}`])}
  </li>`}function kt(s,e){let t=s.displayName||s.nodeId;return r`<li class="card" data-request=${s.requestId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${S("commands need approval","warn")}
    </div>
    ${ee([s.platform,s.version,s.remoteIp,`asked ${m(s.ts)}`])}
    ${O("Requested commands",s.commands,"command")}
    ${Et(e,s.requestId,["node.pair.approve",`Approved the commands of ${t}`],["node.pair.reject",`Rejected the commands of ${t}`])}
  </li>`}function Ct(s,e){let t=s.displayName||s.nodeId,n=Object.entries(s.permissions??{}).map(([i,o])=>`${i} ${o?"\u2713":"\u2717"}`);return r`<li class="card" data-node=${s.nodeId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${s.connected?S("connected","ok"):S("offline","off")}
      ${s.approvalState==="pending-approval"?S("approval needed","warn"):null}
    </div>
    ${ee([s.platform,s.deviceFamily,s.version,s.remoteIp,s.connected?`connected ${m(s.connectedAtMs)}`:`seen ${m(s.lastSeenAtMs)}`,s.paired?"paired":"not paired"])}
    ${O("Capabilities",s.caps,"cap")}
    ${O("Commands",s.commands,"command")}
    ${O("Permissions",n,"permission")}
    ${s.paired?St(e,s.nodeId,t):null}
  </li>`}function ds(){try{return JSON.parse(localStorage.getItem("openclaw-device-identity-v1")??"{}").deviceId}catch{return}}function xt(s,e){let t=s.displayName||s.clientId;return r`<li class="card" data-device=${s.deviceId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${s.connected?S("connected","ok"):S("offline","off")}
      ${s.deviceId===ds()?S("this browser","off"):null}
    </div>
    ${ee([s.platform,`role ${s.roles.join(", ")}`,s.approvedVia==="silent"?"auto-paired":"approved",s.lastSeenAtMs?`seen ${m(s.lastSeenAtMs)}`:""])}
    ${O("Scopes",s.scopes,"scope")}
    ${St(e,s.deviceId,t)}
  </li>`}var hs=new Set(["device.pair.requested","device.pair.resolved","node.pair.requested","node.pair.resolved","presence"]),Ie=class extends y{static properties={_data:{state:!0}};constructor(){super(),this._data=void 0}onGatewayEvent(e){hs.has(e.event)&&this.reloadSoon(150)}async load(){try{let[e,t,n]=await Promise.all([l.request("node.list",{}),l.request("device.pair.list",{}),l.request("node.pair.list",{})]);this._data={nodes:e.nodes??[],devices:t,nodePairs:n},this._error=""}catch(e){this._error=`Devices unavailable: ${e.message}`}}pairAction(e,t,n){return this.act(t.requestId??t.deviceId,async()=>(await l.request(e,t),n))}render(){let e=this._data,t=e?.devices.pending??[],n=e?.nodePairs.pending??[],i=new Set(e?.nodes.map(c=>c.nodeId)),o=(e?.devices.paired??[]).filter(c=>!i.has(c.deviceId)),a=e?e.nodes.filter(c=>c.connected).length:0;return r`
      <div class="page-head">
        <h1>Nodes and devices</h1>
        <button type="button" @click=${()=>this.refresh()}>Refresh</button>
      </div>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      <p role="status" class="note" data-testid="nodes-note">${this._note}</p>
      ${!e&&!this._error?r`<p role="status">Loading…</p>`:null}
      ${e?r`
          <section aria-labelledby="pending-h">
            <h2 id="pending-h">Pending requests</h2>
            ${t.length+n.length===0?r`<p class="muted">Nothing waiting for approval.</p>`:r`<ul class="cards" aria-labelledby="pending-h">
                ${t.map(c=>At(c,this))}
                ${n.map(c=>kt(c,this))}
              </ul>`}
          </section>
          <section aria-labelledby="nodes-h">
            <h2 id="nodes-h">Nodes</h2>
            ${e.nodes.length?r`<p class="muted">${a} of ${e.nodes.length} connected.</p>`:null}
            ${e.nodes.length===0?r`<p class="muted">No nodes yet. Start a node host and approve it here.</p>`:r`<ul class="cards" aria-labelledby="nodes-h">${e.nodes.map(c=>Ct(c,this))}</ul>`}
          </section>
          <section aria-labelledby="devices-h">
            <h2 id="devices-h">Paired devices</h2>
            ${o.length===0?r`<p class="muted">No other paired devices.</p>`:r`<ul class="cards" aria-labelledby="devices-h">${o.map(c=>xt(c,this))}</ul>`}
          </section>
        `:null}
    `}};customElements.define("oc-nodes",Ie);var us={hot:"applied live",none:"read live, nothing to restart",restart:"needs a gateway restart"};function ps(s){return s.line?s.column?`Line ${s.line}, column ${s.column}`:`Line ${s.line}`:""}function Tt(s,e,t){return!s?.length&&!e?null:r`<div class="config-issues" role="alert" data-testid="config-issues">
    <h2>Not valid: nothing was written</h2>
    ${e?r`<p>${e}</p>`:null}
    <ul>
      ${(s??[]).map(n=>r`<li data-line=${n.line??""} data-key=${n.path}>
          ${n.line?r`<button type="button" class="link" @click=${()=>t(n.line,n.column)}>${ps(n)}</button>`:null}
          ${n.path?r`<code>${n.path}</code>`:null}
          <span>${n.message}</span>
        </li>`)}
    </ul>
  </div>`}function fs(s){return s.changes.length?s.restart?"Saving restarts the gateway; this page reconnects by itself.":s.changes.some(e=>e.effect==="restart")?'Some changes wait for a restart: gateway.reload.mode is "hot".':"Saving applies every change live, without a restart.":"No setting changes (formatting or comments only)."}function Me(s,e="What saving does"){return s?.valid?r`<div class="config-changes" data-testid="config-changes">
    <h2>${e}</h2>
    <p>${fs(s)}</p>
    ${s.changes.length?r`<ul>
        ${s.changes.map(t=>r`<li data-effect=${t.effect}>
            <code>${t.path}</code>
            <span class="effect" data-effect=${t.effect}>${t.effect==="restart"?"restart":"hot"}</span>
            ${us[t.effect]}${t.action?r`
                (<code>${t.action}</code>)
              `:null}
          </li>`)}
      </ul>`:null}
  </div>`:null}var ms=700,qe=1e6,$s="__OPENCLAW_REDACTED__",gs=/^Config changed since baseHash/,Re=class extends g{static properties={_file:{state:!0},_check:{state:!0},_saved:{state:!0},_note:{state:!0},_error:{state:!0},_conflict:{state:!0},_busy:{state:!0}};#e="";#t="";#s;#n=0;constructor(){super(),this._file=void 0,this._check=void 0,this._saved=void 0,this._note="Loading\u2026",this._error="",this._conflict=!1,this._busy=!1}#o=e=>{this.#r()&&e.preventDefault()};connectedCallback(){super.connectedCallback(),addEventListener("beforeunload",this.#o),this.load()}disconnectedCallback(){super.disconnectedCallback(),removeEventListener("beforeunload",this.#o),clearTimeout(this.#s)}onConnected(){this.#r()||this.load({keepSaved:!0})}get#i(){return this.querySelector("textarea")}#r(){let e=this.#i;return!!e&&e.value!==this.#t}async load({keepSaved:e=!1}={}){clearTimeout(this.#s);try{let t=await l.request("config.get",{}),n=t.raw??`{
}
`;this.#e=t.hash,this.#t=n,this._file=t,this.#i&&(this.#i.value=n),this._check=t.valid?void 0:{valid:!1,issues:t.issues,changes:[],stale:!1},this._conflict=!1,this._error="",e||(this._saved=void 0),this._note=t.exists?`Editing ${t.path}`:`${t.path} does not exist yet: saving creates it`}catch(t){this._error=`Config failed to load: ${t.message}`}}async check(e=this.#i?.value??""){clearTimeout(this.#s);let t=++this.#n,n=await l.request("config.validate",{raw:e,baseHash:this.#e});return t===this.#n&&(this._check=n),n}#c(){this._saved=void 0,clearTimeout(this.#s),this.#s=setTimeout(()=>this.check().catch(()=>{}),ms)}async save(){let e=this.#i.value;if(e.length>qe){this._error=`The file is too large to save here (${e.length} characters; at most ${qe})`;return}this._busy=!0,this._error="",this._saved=void 0;try{let t=await this.check(e);if(!t.valid)return;if(e===this.#t){this._note="Nothing to save: the text is as loaded";return}let n=await l.request("config.set",{raw:e,baseHash:this.#e});this.#e=n.hash,this.#t=e,this._saved=t,this._check=void 0,this._note=`Saved ${n.path}`}catch(t){gs.test(t.message??"")?this._conflict=!0:this._error=`Not saved: ${t.message}`,this._note="Not saved"}finally{this._busy=!1}}goTo(e,t=1){let n=this.#i,i=n.value.split(`
`),o=0;for(let c=0;c<Math.min(e-1,i.length);c++)o+=i[c].length+1;let a=i[e-1]?.length??0;n.focus(),n.setSelectionRange(o+Math.min(t-1,a),o+a)}#a(){return this._conflict?r`
      <div class="config-conflict" role="alert" data-testid="config-conflict">
        <h2>Not saved: the file changed on disk</h2>
        <p>
              Someone (or something) changed the config file after this page loaded it, so saving
              would overwrite their change. Reload to get the current file, redo your edit, and
              save again.
            </p>
        <button type="button" @click=${()=>this.load()}>Reload the file (drops your edits)</button>
      </div>
    `:null}render(){let e=this._check,t=(n,i)=>this.goTo(n,i);return r`
      <div class="page-head">
        <h1>Config</h1>
        <button type="button" @click=${()=>this.load()}>Reload</button>
      </div>
      <p role="status" class="muted" data-testid="config-note">${this._note}</p>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      ${this.#a()}
      ${e?.stale&&!this._conflict?r`<p class="warn" role="status">
          The file changed on disk since this page loaded it; saving will be refused. Reload first.
        </p>`:null}
      <p class="muted hint">
        JSON5 (comments and trailing commas are fine). Secrets show as <code>${$s}</code>:
        leave that text as it is to keep the stored value, or type a new value to replace it.
      </p>
      <label class="config-editor">
        <span>Config file</span>
        <textarea spellcheck="false" autocapitalize="off" autocomplete="off" rows="24"
          maxlength=${qe} aria-describedby="config-help"
          .value=${this.#t} @input=${()=>this.#c()}
          ?disabled=${this._file===void 0}></textarea>
      </label>
      <p id="config-help" class="muted hint">
        Checked as you type; nothing is written until you press Save.
      </p>
      <div class="row-buttons">
        <button type="button" class="primary" ?disabled=${this._busy||!this._file}
          @click=${()=>this.save()}>Save</button>
        <button type="button" ?disabled=${this._busy||!this._file}
          @click=${()=>this.check().catch(n=>this._error=n.message)}>Check</button>
      </div>
      ${e&&!e.valid?Tt(e.issues,e.message,t):null}
      ${this._saved?r`<div role="status" class="config-saved" data-testid="config-saved">
          <p><strong>Saved.</strong></p>
          ${Me(this._saved,"What the save did")}
        </div>`:e?.valid&&!e.stale&&!this._conflict&&this.#r()?Me(e):null}
    `}};customElements.define("oc-config",Re);var vs=2e3,ys=2e3,It=["trace","debug","info","warn","error","fatal"];function _s(s){if(!s.startsWith("{"))return{level:void 0,text:s};try{let{time:e,level:t,subsystem:n,msg:i,...o}=JSON.parse(s),a=typeof e=="string"?e.slice(11,23):"",c=Object.keys(o).length?` ${JSON.stringify(o)}`:"",d=typeof t=="string"?t.toLowerCase():void 0;return{level:d,text:`${a} ${(d??"?").toUpperCase().padEnd(5)} ${n?`[${n}] `:""}${i??""}${c}`}}catch{return{level:void 0,text:s}}}var Oe=class extends g{static properties={_lines:{state:!0},_note:{state:!0},_levels:{state:!0},_follow:{state:!0}};#e;#t;#s;constructor(){super(),this._lines=[],this._note="Loading\u2026",this._levels=new Set(It),this._follow=!0}connectedCallback(){super.connectedCallback(),this.poll()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e)}async poll(){clearTimeout(this.#e);try{let e=await l.request("logs.tail",{limit:500,maxBytes:25e4,...this.#t!==void 0?{cursor:this.#t,file:this.#s}:{}}),t=e.reset?[]:this._lines;this.#t=e.cursor,this.#s=e.file,(e.reset||e.lines.length)&&(this._lines=[...t,...e.lines.map(_s)].slice(-vs)),this._note=`Following ${e.file}`}catch(e){this._note=`Logs unavailable: ${e.message}`}this.isConnected&&(this.#e=setTimeout(()=>this.poll(),ys))}#n(){return this._lines.filter(e=>!e.level||this._levels.has(e.level))}#o(e,t){let n=new Set(this._levels);t?n.add(e):n.delete(e),this._levels=n}#i(){let e=this.#n().map(n=>n.text).join(`
`)+`
`,t=document.createElement("a");t.href=URL.createObjectURL(new Blob([e],{type:"text/plain"})),t.download=`openclaw-logs-${new Date().toISOString().replace(/[:.]/g,"-")}.log`,t.click(),setTimeout(()=>URL.revokeObjectURL(t.href),1e4)}updated(){if(!this._follow)return;let e=this.querySelector("pre");e&&(e.scrollTop=e.scrollHeight)}render(){let e=this.#n();return r`
      <div class="page-head">
        <h1>Logs</h1>
      </div>
      <p role="status" class="muted">${this._note}</p>
      <div class="log-tools">
        <fieldset>
          <legend>Levels</legend>
          ${It.map(t=>r`<label class="chip"><input type="checkbox" .checked=${this._levels.has(t)}
              @change=${n=>this.#o(t,n.target.checked)}>${t}</label>`)}
        </fieldset>
        <label class="chip"><input type="checkbox" .checked=${this._follow}
          @change=${t=>this._follow=t.target.checked}>Follow</label>
        <button type="button" @click=${()=>this.#i()}>Export visible</button>
        <span class="muted" data-testid="log-count">${e.length} of ${this._lines.length} lines</span>
      </div>
      <pre class="log" data-testid="log-lines" tabindex="0" aria-label="Gateway log">${e.map(t=>t.text).join(`
`)}</pre>
    `}};customElements.define("oc-logs",Oe);var te=[{route:"chat",tag:"oc-chat",title:"Chat"},{route:"overview",tag:"oc-overview",title:"Overview"},{route:"sessions",tag:"oc-sessions",title:"Sessions"},{route:"channels",tag:"oc-channels",title:"Channels"},{route:"nodes",tag:"oc-nodes",title:"Nodes"},{route:"config",tag:"oc-config",title:"Config"},{route:"logs",tag:"oc-logs",title:"Logs"}],Mt={"":"chat",devices:"nodes",settings:"config"};var Le=class extends g{#e(e){e.preventDefault();let t=new FormData(e.target).get("token");typeof t=="string"&&t&&l.signIn(t)}firstUpdated(){this.querySelector("input")?.focus()}render(){return r`
      <h1>Sign in</h1>
      ${l.error?r`<p class="error" role="alert">${l.error}</p>`:null}
      <p class="muted">Run <code>openclaw dashboard</code> on the gateway's machine: it opens
        this page signed in (or prints the link). Or paste the gateway token:
        <code>gateway.auth.token</code> in <code>~/.openclaw/openclaw.json</code> (or the
        <code>OPENCLAW_GATEWAY_TOKEN</code> the gateway runs with), or open
        <code>http://host:port/#token=…</code>.</p>
      <form class="row" @submit=${this.#e}>
        <input type="password" name="token" autocomplete="current-password"
          aria-label="Gateway token" placeholder="Gateway token" maxlength="4096" required>
        <button type="submit">Connect</button>
      </form>
    `}};customElements.define("oc-sign-in",Le);var bs={idle:"idle","signed-out":"signed out",connecting:"connecting\u2026",connected:"connected",reconnecting:"reconnecting\u2026","auth-failed":"signed out"};function ws(s){s.target.scrollIntoView?.({block:"nearest",inline:"nearest"})}var se=class extends v{#e;#t;#s;createRenderRoot(){return this}connectedCallback(){super.connectedCallback(),l.addEventListener("state",()=>this.requestUpdate()),addEventListener("route",()=>this.requestUpdate()),addEventListener("resize",()=>{this.#s=void 0,this.requestUpdate()}),ft(),l.start()}#n(){let e=ye(),t=Mt[e]??e;return te.find(n=>n.route===t)??te[0]}#o(e){return this.#t!==e.route&&(this.#e=document.createElement(e.tag),this.#t=e.route),this.#e}updated(){let e=this.querySelector('nav.pages a[aria-current="page"]');if(e&&e.dataset.route!==this.#s){this.#s=e.dataset.route;let t=e.parentElement;t.scrollWidth>t.clientWidth&&(t.scrollLeft=e.offsetLeft-(t.clientWidth-e.offsetWidth)/2)}}render(){let e=this.#n(),t=l.state==="connected",n=l.state==="signed-out"||l.state==="auth-failed";return n&&(this.#e=this.#t=void 0),document.title=`${e.title} \xB7 OpenClaw Control`,r`
      <header class="top">
        <strong class="brand">OpenClaw</strong>
        <nav class="pages" aria-label="Pages" @focusin=${ws}>
          ${te.map(i=>r`
              <a href=${q(i.route)} data-route=${i.route}
                aria-current=${i===e?"page":"false"}>${i.title}</a>
            `)}
        </nav>
        <span class="status" data-state=${l.state} data-testid="conn" role="status"
          >${bs[l.state]??l.state}</span>
        ${t?r`<button type="button" @click=${()=>l.signOut()}>Sign out</button>`:null}
      </header>
      ${l.error&&!n?r`<p class="banner" role="alert">${l.error}</p>`:null}
      <main id="main">
        ${n?r`<oc-sign-in></oc-sign-in>`:this.#e||t?this.#o(e):r`<p role="status">Connecting…</p>`}
      </main>
    `}};Ge();customElements.define("oc-app",se);
