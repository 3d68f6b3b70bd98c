var De="openclaw-device-identity-v1",M="openclaw.device.auth.v1:",Tt="302e020100300506032b657004220420";function te(n){let e="";for(let t of n)e+=String.fromCharCode(t);return btoa(e).replaceAll("+","-").replaceAll("/","_").replace(/=+$/,"")}function Me(n){let e=n.replaceAll("-","+").replaceAll("_","/"),t=atob(e.padEnd(e.length+(4-e.length%4)%4,"="));return Uint8Array.from(t,s=>s.charCodeAt(0))}async function Ne(n){let e=new Uint8Array(await crypto.subtle.digest("SHA-256",n));return Array.from(e,t=>t.toString(16).padStart(2,"0")).join("")}function B(n){try{let e=localStorage.getItem(n);return e&&e.length<=16384?JSON.parse(e):void 0}catch{return}}async function It(n){let e=Tt.match(/../g).map(s=>parseInt(s,16)),t=new Uint8Array([...e,...n]);return await crypto.subtle.importKey("pkcs8",t,{name:"Ed25519"},!1,["sign"])}async function Ot(){let n=B(De);if(n?.version!==1||typeof n.publicKey!="string"||typeof n.privateKey!="string")return;let e=Me(n.publicKey),t=Me(n.privateKey);if(e.length!==32||t.length!==32)return;let s=await Ne(e);if(s===n.deviceId)return{deviceId:s,publicKey:n.publicKey,key:await It(t)}}async function Rt(){let n=await crypto.subtle.generateKey({name:"Ed25519"},!0,["sign","verify"]),e=new Uint8Array(await crypto.subtle.exportKey("raw",n.publicKey)),t=new Uint8Array(await crypto.subtle.exportKey("pkcs8",n.privateKey)),s={version:1,deviceId:await Ne(e),publicKey:te(e),privateKey:te(t.slice(-32)),createdAtMs:Date.now()};return localStorage.setItem(De,JSON.stringify(s)),{deviceId:s.deviceId,publicKey:s.publicKey,key:n.privateKey}}var Pe;function Ue(){return Pe??=(async()=>{if(!(!globalThis.isSecureContext||!crypto?.subtle))try{return await Ot()??await Rt()}catch{return}})(),Pe}function Le(n){return(n??"").trim().replace(/[A-Z]/g,e=>e.toLowerCase())}async function He(n,e,t){let s=["v3",n.deviceId,t.clientId,t.clientMode,t.role,t.scopes.join(","),String(e.ts),t.token??"",e.nonce,Le(t.platform),Le(t.deviceFamily)].join("|"),i=await crypto.subtle.sign("Ed25519",n.key,new TextEncoder().encode(s));return{id:n.deviceId,publicKey:n.publicKey,signature:te(new Uint8Array(i)),signedAt:e.ts,nonce:e.nonce}}function je(n,e,t="operator"){let s=B(M+n);if(s?.version!==1||s.deviceId!==e)return;let i=s.tokens?.[t]?.token;return typeof i=="string"&&i.length<=1024?i:void 0}function Ke(n){return B(M+n)!==void 0}function Be(n,e,t){if(typeof t?.deviceToken!="string")return;let s=B(M+n),i=s?.deviceId===e?{...s.tokens}:{};i[t.role??"operator"]={token:t.deviceToken,role:t.role??"operator",scopes:t.scopes??[],updatedAtMs:Date.now()};try{localStorage.setItem(M+n,JSON.stringify({version:1,deviceId:e,tokens:i}))}catch{}}function se(n){try{localStorage.removeItem(M+n)}catch{}}var qt="0.1.0",We=["operator.admin","operator.read","operator.write","operator.approvals","operator.pairing"],Mt=3e4,E=`${location.protocol==="https:"?"wss":"ws"}://${location.host}/`,P=`openclaw.control.token.v1:${E}`;function Ve(){let n=new URL(location.href),e=new URLSearchParams(n.hash.slice(1)),t=e.get("token")??n.searchParams.get("token");if(!t)return;sessionStorage.setItem(P,t.slice(0,4096)),e.delete("token"),n.searchParams.delete("token");let s=e.toString();history.replaceState(null,"",n.pathname+n.search+(s?`#${s}`:""))}var ne=class extends EventTarget{#e;#t=new Map;#n=0;#s=800;#o;state="idle";error="";hello;device;start(){clearTimeout(this.#o);let e=sessionStorage.getItem(P)??"";if(!e&&!Ke(E))return this.#i("signed-out","");this.#i(this.state==="reconnecting"?"reconnecting":"connecting",this.error);let t=new WebSocket(E);this.#e=t,t.onmessage=s=>this.#r(t,e,s.data),t.onclose=s=>{if(this.#e!==t)return;for(let o of this.#t.values())o.reject(new Error("Connection closed"));if(this.#t.clear(),this.state==="auth-failed"||this.state==="signed-out")return;let i=s.code===1008?`rejected (${s.reason||"policy"})`:"gateway gone";this.#i("reconnecting",`Disconnected: ${i}; retrying in ${this.#s} ms`),this.#o=setTimeout(()=>this.start(),this.#s),this.#s=Math.min(this.#s*2,15e3)}}signIn(e){sessionStorage.setItem(P,e.slice(0,4096)),this.start()}signOut(){sessionStorage.removeItem(P),se(E),this.#i("signed-out",""),this.#e?.close()}on(e,t){let s=i=>{i.detail.event===e&&t(i.detail.payload??{},i.detail)};return this.addEventListener("gw-event",s),()=>this.removeEventListener("gw-event",s)}#i(e,t){this.state=e,this.error=t,this.dispatchEvent(new Event("state"))}#r(e,t,s){let i;try{i=JSON.parse(String(s))}catch{return}if(i.type==="event"&&i.event==="connect.challenge"){let o=i.payload??{};try{typeof o.payloadJson=="string"&&(o=JSON.parse(o.payloadJson))}catch{}this.#c(e,t,o).catch(a=>this.#a(e,t,a,!1))}else if(i.type==="res"){let o=this.#t.get(i.id);if(!o)return;this.#t.delete(i.id),i.ok?o.resolve(i.payload):o.reject(Object.assign(new Error(i.error?.message??"Request failed"),i.error))}else i.type==="event"&&this.dispatchEvent(new CustomEvent("gw-event",{detail:i}))}async#c(e,t,s){let i=await Ue(),o=i?je(E,i.deviceId):void 0;if(!t&&!o)return this.#i("signed-out",""),e.close();let a={id:"openclaw-control-ui",version:qt,platform:(navigator.platform||"web").slice(0,64),mode:"webchat"},c=i&&typeof s.nonce=="string"&&Number.isFinite(s.ts)?await He(i,s,{clientId:a.id,clientMode:a.mode,role:"operator",scopes:We,token:t||o||"",platform:a.platform}):void 0;try{let d=await this.request("connect",{minProtocol:3,maxProtocol:4,client:a,role:"operator",scopes:We,caps:["tool-events"],auth:{...t?{token:t}:{},...o?{deviceToken:o}:{}},...c?{device:c}:{}},e);c&&Be(E,c.id,d.auth),this.device=c?{id:c.id,via:o&&d.auth?.deviceToken===o?"device-token":"secret"}:void 0,this.hello=d,this.#s=800,this.#i("connected","")}catch(d){this.#a(e,t,d,o!==void 0)}}#a(e,t,s,i){let a=(s.code??"")==="RATE_LIMITED"||/rate/i.test(s.message),c=a?`Too many attempts: ${s.message}`:`Sign-in failed: ${s.message}`;i&&!a&&se(E),a||sessionStorage.removeItem(P),this.#i(t||!i?"auth-failed":"signed-out",c),e.close()}request(e,t={},s=this.#e){return new Promise((i,o)=>{if(!s||s.readyState!==WebSocket.OPEN)return o(new Error("Not connected"));let a=`ui-${++this.#n}`,c=setTimeout(()=>{this.#t.delete(a),o(new Error(`${e} timed out`))},Mt);this.#t.set(a,{resolve:d=>(clearTimeout(c),i(d)),reject:d=>(clearTimeout(c),o(d))}),s.send(JSON.stringify({type:"req",id:a,method:e,params:t}))})}},l=new ne;var W=globalThis,G=W.ShadowRoot&&(W.ShadyCSS===void 0||W.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,Fe=Symbol(),Ge=new WeakMap,V=class{constructor(e,t,s){if(this._$cssResult$=!0,s!==Fe)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=e,this.t=t}get styleSheet(){let e=this.o,t=this.t;if(G&&e===void 0){let s=t!==void 0&&t.length===1;s&&(e=Ge.get(t)),e===void 0&&((this.o=e=new CSSStyleSheet).replaceSync(this.cssText),s&&Ge.set(t,e))}return e}toString(){return this.cssText}},Je=n=>new V(typeof n=="string"?n:n+"",void 0,Fe);var ze=(n,e)=>{if(G)n.adoptedStyleSheets=e.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of e){let s=document.createElement("style"),i=W.litNonce;i!==void 0&&s.setAttribute("nonce",i),s.textContent=t.cssText,n.appendChild(s)}},ie=G?n=>n:n=>n instanceof CSSStyleSheet?(e=>{let t="";for(let s of e.cssRules)t+=s.cssText;return Je(t)})(n):n;var{is:Pt,defineProperty:Lt,getOwnPropertyDescriptor:Dt,getOwnPropertyNames:Nt,getOwnPropertySymbols:Ut,getPrototypeOf:Ht}=Object,F=globalThis,Xe=F.trustedTypes,jt=Xe?Xe.emptyScript:"",Kt=F.reactiveElementPolyfillSupport,L=(n,e)=>n,oe={toAttribute(n,e){switch(e){case Boolean:n=n?jt:null;break;case Object:case Array:n=n==null?n:JSON.stringify(n)}return n},fromAttribute(n,e){let t=n;switch(e){case Boolean:t=n!==null;break;case Number:t=n===null?null:Number(n);break;case Object:case Array:try{t=JSON.parse(n)}catch{t=null}}return t}},Qe=(n,e)=>!Pt(n,e),Ye={attribute:!0,type:String,converter:oe,reflect:!1,useDefault:!1,hasChanged:Qe};Symbol.metadata??=Symbol("metadata"),F.litPropertyMetadata??=new WeakMap;var y=class extends HTMLElement{static addInitializer(e){this._$Ei(),(this.l??=[]).push(e)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(e,t=Ye){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(e)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(e,t),!t.noAccessor){let s=Symbol(),i=this.getPropertyDescriptor(e,s,t);i!==void 0&&Lt(this.prototype,e,i)}}static getPropertyDescriptor(e,t,s){let{get:i,set:o}=Dt(this.prototype,e)??{get(){return this[t]},set(a){this[t]=a}};return{get:i,set(a){let c=i?.call(this);o?.call(this,a),this.requestUpdate(e,c,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(e){return this.elementProperties.get(e)??Ye}static _$Ei(){if(this.hasOwnProperty(L("elementProperties")))return;let e=Ht(this);e.finalize(),e.l!==void 0&&(this.l=[...e.l]),this.elementProperties=new Map(e.elementProperties)}static finalize(){if(this.hasOwnProperty(L("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(L("properties"))){let t=this.properties,s=[...Nt(t),...Ut(t)];for(let i of s)this.createProperty(i,t[i])}let e=this[Symbol.metadata];if(e!==null){let t=litPropertyMetadata.get(e);if(t!==void 0)for(let[s,i]of t)this.elementProperties.set(s,i)}this._$Eh=new Map;for(let[t,s]of this.elementProperties){let i=this._$Eu(t,s);i!==void 0&&this._$Eh.set(i,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(e){let t=[];if(Array.isArray(e)){let s=new Set(e.flat(1/0).reverse());for(let i of s)t.unshift(ie(i))}else e!==void 0&&t.push(ie(e));return t}static _$Eu(e,t){let s=t.attribute;return s===!1?void 0:typeof s=="string"?s:typeof e=="string"?e.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(e=>this.enableUpdating=e),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(e=>e(this))}addController(e){(this._$EO??=new Set).add(e),this.renderRoot!==void 0&&this.isConnected&&e.hostConnected?.()}removeController(e){this._$EO?.delete(e)}_$E_(){let e=new Map,t=this.constructor.elementProperties;for(let s of t.keys())this.hasOwnProperty(s)&&(e.set(s,this[s]),delete this[s]);e.size>0&&(this._$Ep=e)}createRenderRoot(){let e=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return ze(e,this.constructor.elementStyles),e}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(e=>e.hostConnected?.())}enableUpdating(e){}disconnectedCallback(){this._$EO?.forEach(e=>e.hostDisconnected?.())}attributeChangedCallback(e,t,s){this._$AK(e,s)}_$ET(e,t){let s=this.constructor.elementProperties.get(e),i=this.constructor._$Eu(e,s);if(i!==void 0&&s.reflect===!0){let o=(s.converter?.toAttribute!==void 0?s.converter:oe).toAttribute(t,s.type);this._$Em=e,o==null?this.removeAttribute(i):this.setAttribute(i,o),this._$Em=null}}_$AK(e,t){let s=this.constructor,i=s._$Eh.get(e);if(i!==void 0&&this._$Em!==i){let o=s.getPropertyOptions(i),a=typeof o.converter=="function"?{fromAttribute:o.converter}:o.converter?.fromAttribute!==void 0?o.converter:oe;this._$Em=i;let c=a.fromAttribute(t,o.type);this[i]=c??this._$Ej?.get(i)??c,this._$Em=null}}requestUpdate(e,t,s,i=!1,o){if(e!==void 0){let a=this.constructor;if(i===!1&&(o=this[e]),s??=a.getPropertyOptions(e),!((s.hasChanged??Qe)(o,t)||s.useDefault&&s.reflect&&o===this._$Ej?.get(e)&&!this.hasAttribute(a._$Eu(e,s))))return;this.C(e,t,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(e,t,{useDefault:s,reflect:i,wrapped:o},a){s&&!(this._$Ej??=new Map).has(e)&&(this._$Ej.set(e,a??t??this[e]),o!==!0||a!==void 0)||(this._$AL.has(e)||(this.hasUpdated||s||(t=void 0),this._$AL.set(e,t)),i===!0&&this._$Em!==e&&(this._$Eq??=new Set).add(e))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let e=this.scheduleUpdate();return e!=null&&await e,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[i,o]of this._$Ep)this[i]=o;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[i,o]of s){let{wrapped:a}=o,c=this[i];a!==!0||this._$AL.has(i)||c===void 0||this.C(i,void 0,o,c)}}let e=!1,t=this._$AL;try{e=this.shouldUpdate(t),e?(this.willUpdate(t),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(t)):this._$EM()}catch(s){throw e=!1,this._$EM(),s}e&&this._$AE(t)}willUpdate(e){}_$AE(e){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(e)),this.updated(e)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(e){return!0}update(e){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(e){}firstUpdated(e){}};y.elementStyles=[],y.shadowRootOptions={mode:"open"},y[L("elementProperties")]=new Map,y[L("finalized")]=new Map,Kt?.({ReactiveElement:y}),(F.reactiveElementVersions??=[]).push("2.1.2");var ue=globalThis,Ze=n=>n,J=ue.trustedTypes,et=J?J.createPolicy("lit-html",{createHTML:n=>n}):void 0,rt="$lit$",w=`lit$${Math.random().toFixed(9).slice(2)}$`,at="?"+w,Bt=`<${at}>`,C=document,N=()=>C.createComment(""),U=n=>n===null||typeof n!="object"&&typeof n!="function",pe=Array.isArray,Wt=n=>pe(n)||typeof n?.[Symbol.iterator]=="function",re=`[ 	
\f\r]`,D=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,tt=/-->/g,st=/>/g,A=RegExp(`>|${re}(?:([^\\s"'>=/]+)(${re}*=${re}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),nt=/'/g,it=/"/g,ct=/^(?:script|style|textarea|title)$/i,fe=n=>(e,...t)=>({_$litType$:n,strings:e,values:t}),r=fe(1),Ss=fe(2),Cs=fe(3),x=Symbol.for("lit-noChange"),f=Symbol.for("lit-nothing"),ot=new WeakMap,S=C.createTreeWalker(C,129);function lt(n,e){if(!pe(n)||!n.hasOwnProperty("raw"))throw Error("invalid template strings array");return et!==void 0?et.createHTML(e):e}var Vt=(n,e)=>{let t=n.length-1,s=[],i,o=e===2?"<svg>":e===3?"<math>":"",a=D;for(let c=0;c<t;c++){let d=n[c],p,m,h=-1,_=0;for(;_<d.length&&(a.lastIndex=_,m=a.exec(d),m!==null);)_=a.lastIndex,a===D?m[1]==="!--"?a=tt:m[1]!==void 0?a=st:m[2]!==void 0?(ct.test(m[2])&&(i=RegExp("</"+m[2],"g")),a=A):m[3]!==void 0&&(a=A):a===A?m[0]===">"?(a=i??D,h=-1):m[1]===void 0?h=-2:(h=a.lastIndex-m[2].length,p=m[1],a=m[3]===void 0?A:m[3]==='"'?it:nt):a===it||a===nt?a=A:a===tt||a===st?a=D:(a=A,i=void 0);let b=a===A&&n[c+1].startsWith("/>")?" ":"";o+=a===D?d+Bt:h>=0?(s.push(p),d.slice(0,h)+rt+d.slice(h)+w+b):d+w+(h===-2?c:b)}return[lt(n,o+(n[t]||"<?>")+(e===2?"</svg>":e===3?"</math>":"")),s]},H=class n{constructor({strings:e,_$litType$:t},s){let i;this.parts=[];let o=0,a=0,c=e.length-1,d=this.parts,[p,m]=Vt(e,t);if(this.el=n.createElement(p,s),S.currentNode=this.el.content,t===2||t===3){let h=this.el.content.firstChild;h.replaceWith(...h.childNodes)}for(;(i=S.nextNode())!==null&&d.length<c;){if(i.nodeType===1){if(i.hasAttributes())for(let h of i.getAttributeNames())if(h.endsWith(rt)){let _=m[a++],b=i.getAttribute(h).split(w),K=/([.?@])?(.*)/.exec(_);d.push({type:1,index:o,name:K[2],strings:b,ctor:K[1]==="."?ce:K[1]==="?"?le:K[1]==="@"?de:I}),i.removeAttribute(h)}else h.startsWith(w)&&(d.push({type:6,index:o}),i.removeAttribute(h));if(ct.test(i.tagName)){let h=i.textContent.split(w),_=h.length-1;if(_>0){i.textContent=J?J.emptyScript:"";for(let b=0;b<_;b++)i.append(h[b],N()),S.nextNode(),d.push({type:2,index:++o});i.append(h[_],N())}}}else if(i.nodeType===8)if(i.data===at)d.push({type:2,index:o});else{let h=-1;for(;(h=i.data.indexOf(w,h+1))!==-1;)d.push({type:7,index:o}),h+=w.length-1}o++}}static createElement(e,t){let s=C.createElement("template");return s.innerHTML=e,s}};function T(n,e,t=n,s){if(e===x)return e;let i=s!==void 0?t._$Co?.[s]:t._$Cl,o=U(e)?void 0:e._$litDirective$;return i?.constructor!==o&&(i?._$AO?.(!1),o===void 0?i=void 0:(i=new o(n),i._$AT(n,t,s)),s!==void 0?(t._$Co??=[])[s]=i:t._$Cl=i),i!==void 0&&(e=T(n,i._$AS(n,e.values),i,s)),e}var ae=class{constructor(e,t){this._$AV=[],this._$AN=void 0,this._$AD=e,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(e){let{el:{content:t},parts:s}=this._$AD,i=(e?.creationScope??C).importNode(t,!0);S.currentNode=i;let o=S.nextNode(),a=0,c=0,d=s[0];for(;d!==void 0;){if(a===d.index){let p;d.type===2?p=new j(o,o.nextSibling,this,e):d.type===1?p=new d.ctor(o,d.name,d.strings,this,e):d.type===6&&(p=new he(o,this,e)),this._$AV.push(p),d=s[++c]}a!==d?.index&&(o=S.nextNode(),a++)}return S.currentNode=C,i}p(e){let t=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(e,s,t),t+=s.strings.length-2):s._$AI(e[t])),t++}},j=class n{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(e,t,s,i){this.type=2,this._$AH=f,this._$AN=void 0,this._$AA=e,this._$AB=t,this._$AM=s,this.options=i,this._$Cv=i?.isConnected??!0}get parentNode(){let e=this._$AA.parentNode,t=this._$AM;return t!==void 0&&e?.nodeType===11&&(e=t.parentNode),e}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(e,t=this){e=T(this,e,t),U(e)?e===f||e==null||e===""?(this._$AH!==f&&this._$AR(),this._$AH=f):e!==this._$AH&&e!==x&&this._(e):e._$litType$!==void 0?this.$(e):e.nodeType!==void 0?this.T(e):Wt(e)?this.k(e):this._(e)}O(e){return this._$AA.parentNode.insertBefore(e,this._$AB)}T(e){this._$AH!==e&&(this._$AR(),this._$AH=this.O(e))}_(e){this._$AH!==f&&U(this._$AH)?this._$AA.nextSibling.data=e:this.T(C.createTextNode(e)),this._$AH=e}$(e){let{values:t,_$litType$:s}=e,i=typeof s=="number"?this._$AC(e):(s.el===void 0&&(s.el=H.createElement(lt(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===i)this._$AH.p(t);else{let o=new ae(i,this),a=o.u(this.options);o.p(t),this.T(a),this._$AH=o}}_$AC(e){let t=ot.get(e.strings);return t===void 0&&ot.set(e.strings,t=new H(e)),t}k(e){pe(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,s,i=0;for(let o of e)i===t.length?t.push(s=new n(this.O(N()),this.O(N()),this,this.options)):s=t[i],s._$AI(o),i++;i<t.length&&(this._$AR(s&&s._$AB.nextSibling,i),t.length=i)}_$AR(e=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);e!==this._$AB;){let s=Ze(e).nextSibling;Ze(e).remove(),e=s}}setConnected(e){this._$AM===void 0&&(this._$Cv=e,this._$AP?.(e))}},I=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(e,t,s,i,o){this.type=1,this._$AH=f,this._$AN=void 0,this.element=e,this.name=t,this._$AM=i,this.options=o,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=f}_$AI(e,t=this,s,i){let o=this.strings,a=!1;if(o===void 0)e=T(this,e,t,0),a=!U(e)||e!==this._$AH&&e!==x,a&&(this._$AH=e);else{let c=e,d,p;for(e=o[0],d=0;d<o.length-1;d++)p=T(this,c[s+d],t,d),p===x&&(p=this._$AH[d]),a||=!U(p)||p!==this._$AH[d],p===f?e=f:e!==f&&(e+=(p??"")+o[d+1]),this._$AH[d]=p}a&&!i&&this.j(e)}j(e){e===f?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,e??"")}},ce=class extends I{constructor(){super(...arguments),this.type=3}j(e){this.element[this.name]=e===f?void 0:e}},le=class extends I{constructor(){super(...arguments),this.type=4}j(e){this.element.toggleAttribute(this.name,!!e&&e!==f)}},de=class extends I{constructor(e,t,s,i,o){super(e,t,s,i,o),this.type=5}_$AI(e,t=this){if((e=T(this,e,t,0)??f)===x)return;let s=this._$AH,i=e===f&&s!==f||e.capture!==s.capture||e.once!==s.once||e.passive!==s.passive,o=e!==f&&(s===f||i);i&&this.element.removeEventListener(this.name,this,s),o&&this.element.addEventListener(this.name,this,e),this._$AH=e}handleEvent(e){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,e):this._$AH.handleEvent(e)}},he=class{constructor(e,t,s){this.element=e,this.type=6,this._$AN=void 0,this._$AM=t,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(e){T(this,e)}};var Gt=ue.litHtmlPolyfillSupport;Gt?.(H,j),(ue.litHtmlVersions??=[]).push("3.3.3");var dt=(n,e,t)=>{let s=t?.renderBefore??e,i=s._$litPart$;if(i===void 0){let o=t?.renderBefore??null;s._$litPart$=i=new j(e.insertBefore(N(),o),o,void 0,t??{})}return i._$AI(n),i};var me=globalThis,v=class extends y{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let e=super.createRenderRoot();return this.renderOptions.renderBefore??=e.firstChild,e}update(e){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(e),this._$Do=dt(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return x}};v._$litElement$=!0,v.finalized=!0,me.litElementHydrateSupport?.({LitElement:v});var Ft=me.litElementPolyfillSupport;Ft?.({LitElement:v});(me.litElementVersions??=[]).push("4.2.2");var $e=document.documentElement.dataset.basePath||"/";function ge(){let n=location.pathname.startsWith($e)?location.pathname.slice($e.length):"";return decodeURIComponent(n.split("/")[0]??"")}function O(n){return`${$e}${n}`}function Jt(n){ge()!==n&&history.pushState(null,"",O(n)),dispatchEvent(new Event("route"))}function ht(){location.hash.startsWith("#/")&&history.replaceState(null,"",O(location.hash.slice(2))),addEventListener("popstate",()=>dispatchEvent(new Event("route"))),document.addEventListener("click",n=>{let e=n.target instanceof Element?n.target.closest("a[data-route]"):null;!e||n.defaultPrevented||n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||(n.preventDefault(),Jt(e.dataset.route))})}var u=class extends v{#e=e=>this.onGatewayEvent?.(e.detail);#t=()=>{l.state==="connected"&&this.onConnected?.()};createRenderRoot(){return this}connectedCallback(){super.connectedCallback(),l.addEventListener("gw-event",this.#e),l.addEventListener("state",this.#t)}disconnectedCallback(){super.disconnectedCallback(),l.removeEventListener("gw-event",this.#e),l.removeEventListener("state",this.#t)}};function R(n){let e=n?.content;return typeof e=="string"?e:Array.isArray(e)?e.filter(t=>t.type==="text").map(t=>t.text).join(""):""}function $(n,e=Date.now()){if(!n)return"never";let t=Math.max(0,Math.round((e-n)/1e3));return t<60?`${t} s ago`:t<3600?`${Math.round(t/60)} min ago`:t<86400?`${Math.round(t/3600)} h ago`:`${Math.round(t/86400)} d ago`}function z(n){let e=Math.round((n??0)/1e3);if(e<60)return`${e} s`;let t=Math.floor(e/60);if(t<60)return`${t} min ${e%60} s`;let s=Math.floor(t/60);return s<48?`${s} h ${t%60} min`:`${Math.floor(s/24)} d ${s%24} h`}function X(n){return typeof n!="number"?"\u2013":n<1e3?String(n):n<1e6?`${(n/1e3).toFixed(1)}k`:`${(n/1e6).toFixed(1)}M`}var ve={"allow-once":"Allow once","allow-always":"Always allow",deny:"Deny"};function zt(n,e=Date.now()){if(!n)return"";let t=n-e;return t<=0?"expired":`expires in ${z(t)}`}function ut(n,e,t=Date.now()){let s=n.request??{},i=Array.isArray(s.allowedDecisions)&&s.allowedDecisions.length?s.allowedDecisions.filter(o=>o in ve):Object.keys(ve);return r`
    <section class="approval" role="alertdialog" aria-label="Exec approval"
      aria-describedby=${`appr-${n.id}`} data-approval=${n.id}>
      <p id=${`appr-${n.id}`}>The agent wants to run a command.</p>
      <pre class="cmd" aria-label="Command">${s.command??n.command??""}</pre>
      <dl class="approval-meta">
        <dt>Directory</dt>
        <dd>${s.cwd??"\u2013"}</dd>
        <dt>Agent</dt>
        <dd>${s.agentId??"\u2013"}</dd>
        <dt>Session</dt>
        <dd>${s.sessionKey??"\u2013"}</dd>
        <dt>Expiry</dt>
        <dd data-testid="approval-expiry">${zt(n.expiresAtMs,t)}</dd>
      </dl>
      <div class="row">
          ${i.map(o=>r`<button type="button" data-decision=${o} @click=${()=>e(o)}>${ve[o]}</button>`)}
        </div>
    </section>
  `}var Xt=/^\/(new|reset)(\s|$)/i;function Yt(n){let e=[];for(let t of n??[]){if(t.role==="toolResult"){let i=e.findLast(o=>o.kind==="tool"&&o.id===t.toolCallId);i&&Object.assign(i,{done:!0,isError:t.isError,output:R(t)});continue}let s=R(t);if(s&&e.push({kind:"msg",role:t.role,text:s,done:"final"}),Array.isArray(t.content))for(let i of t.content)i.type==="toolCall"&&e.push({kind:"tool",id:i.id,name:i.name,args:i.arguments,done:!0})}return e}var _e=class extends u{static properties={_session:{state:!0},_sessions:{state:!0},_rows:{state:!0},_approvals:{state:!0},_running:{state:!0},_error:{state:!0}};#e;#t;#n=!1;#s;constructor(){super(),this._session=new URLSearchParams(location.search).get("session")?.slice(0,512)||"main",this._sessions=[],this._rows=[],this._approvals=[],this._running=!1,this._error=""}connectedCallback(){super.connectedCallback(),this.load()}onConnected(){this.load()}async load(){try{let e=await l.request("sessions.list",{limit:200});this._sessions=(e.sessions??[]).map(t=>t.key)}catch{}try{let e=this._session,t=await l.request("chat.history",{sessionKey:e,limit:100});if(this.#t||e!==this._session)return;this._rows=Yt(t.messages),this._error=""}catch(e){this._error=`History failed: ${e.message}`}}async send(){let e=this.querySelector("textarea"),t=e.value.trim();if(t){e.value="",this.#n=Xt.test(t),this.#t={kind:"msg",role:"assistant",text:"",done:void 0},this._rows=[...this._rows,{kind:"msg",role:"user",text:t,done:"final"},this.#t],this.#e=void 0,this._running=!0;try{let s=await l.request("chat.send",{sessionKey:this._session,message:t,idempotencyKey:crypto.randomUUID()});this.#e=s?.runId}catch(s){this.#o("error",`Error: ${s.message}`)}}}abort(){l.request("chat.abort",{sessionKey:this._session,...this.#e?{runId:this.#e}:{}}).catch(()=>{})}#o(e,t){if(!this.#t)return;t!==void 0&&(this.#t.text=t),this.#t.done=e;let s=this.#t;this.#t=void 0,this._running=!1,this._rows=e==="final"&&this.#n?[{kind:"divider",text:"Session reset"},s]:[...this._rows],this.#n=!1}#i(e){return this.#t&&(!this.#e||!e.runId||e.runId===this.#e)}onGatewayEvent(e){let t=e.payload??{};e.event==="chat"&&this.#i(t)?((t.state==="delta"||t.state==="final")&&(this.#t.text=R(t.message)||this.#t.text,this._rows=[...this._rows]),t.state==="final"&&this.#o("final"),t.state==="aborted"&&this.#o("aborted",`${this.#t.text} [aborted]`),t.state==="error"&&this.#o("error",`${this.#t.text} [error: ${t.errorMessage??"failed"}]`)):e.event==="agent"&&t.stream==="tool"&&this.#i(t)?this.#c(t.data??{}):e.event==="exec.approval.requested"?(this._approvals.some(s=>s.id===t.id)||(this._approvals=[...this._approvals,t]),this.#r()):e.event==="exec.approval.resolved"&&(this._approvals=this._approvals.filter(s=>s.id!==t.id))}#r(){clearInterval(this.#s),this.#s=setInterval(()=>{this._approvals=this._approvals.filter(e=>!e.expiresAtMs||e.expiresAtMs>Date.now()),(!this._approvals.length||!this.isConnected)&&clearInterval(this.#s)},1e3)}disconnectedCallback(){super.disconnectedCallback(),clearInterval(this.#s)}#c(e){let t=this._rows.find(s=>s.kind==="tool"&&s.id===e.toolCallId);if(!t){t={kind:"tool",id:e.toolCallId,name:e.name,args:e.args,done:!1};let s=this._rows.indexOf(this.#t);this._rows=s<0?[...this._rows,t]:[...this._rows.slice(0,s),t,...this._rows.slice(s)]}e.phase==="update"&&(t.output=R({content:e.partialResult?.content})),e.phase==="result"&&Object.assign(t,{done:!0,isError:e.isError,output:R({content:e.result?.content})}),this._rows=[...this._rows]}#a(e,t){this._approvals=this._approvals.filter(s=>s.id!==e.id),l.request("exec.approval.resolve",{id:e.id,decision:t}).catch(s=>{this._error=`Approval failed: ${s.message}`})}updated(){let e=this.querySelector(".msgs");e&&(e.scrollTop=e.scrollHeight)}#l(e){if(e.kind==="divider")return r`<p class="divider" role="separator">${e.text}</p>`;if(e.kind==="tool"){let t=e.done?e.isError?"error":"done":"running",s=typeof e.args?.command=="string"?e.args.command:void 0;return r`
        <details class="tool" data-tool=${e.name} data-state=${t}
          ?open=${e.name==="exec"}>
                <summary>${{running:"\u2026",done:"\u2713",error:"\u2717"}[t]} ${e.name}${s?r`: <code>${s.slice(0,120)}</code>`:null} <span class="muted">${t}</span></summary>
                ${s?null:r`<pre>${JSON.stringify(e.args??{},null,2)}</pre>`}
                ${e.output?r`<pre class="tool-output">${e.output}</pre>`:null}
              </details>
      `}return r`<div class="msg ${e.role}" data-role=${e.role} data-done=${e.done??f}>${e.text}</div>`}render(){let e=this._sessions.includes(this._session)?this._sessions:[this._session,...this._sessions];return r`
      <label>Session
        <select aria-label="Session" @change=${t=>{this._session=t.target.value,this.load()}}>
          ${e.map(t=>r`<option .value=${t} ?selected=${t===this._session}>${t}</option>`)}
        </select>
      </label>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      <div class="msgs" aria-live="polite" data-testid="messages">${this._rows.map(t=>this.#l(t))}</div>
      ${this._approvals.map(t=>ut(t,s=>this.#a(t,s)))}
      <form class="row" @submit=${t=>(t.preventDefault(),this.send())}>
        <textarea aria-label="Message" maxlength="100000"
          placeholder="Message (Enter sends, Shift+Enter new line; /new, /status)"
          @keydown=${t=>{t.key==="Enter"&&!t.shiftKey&&(t.preventDefault(),this.send())}}></textarea>
        <button type="submit">Send</button>
        <button type="button" @click=${()=>this.abort()} ?disabled=${!this._running}>Abort</button>
      </form>
    `}};customElements.define("oc-chat",_e);function g(n,e){return r`
    <dt>${n}</dt>
    <dd>${e??"\u2013"}</dd>
  `}function Y(n,e,t){return r`<section class="card" aria-label=${n} data-testid=${t}>
    <h2>${n}</h2>${e}
  </section>`}function pt(n,e,t){let s=n?.gateway??{},i=n?z(n.uptimeMs+(t-e)):void 0;return Y("Gateway",r`<dl>
      ${g("Version",n?.version)} ${g("Uptime",i)}
      ${g("Bind",s.bind?`${s.bind} (${s.bindHost}:${s.port})`:void 0)}
      ${g("Auth mode",n?.authMode)} ${g("Protocol",n?.protocol)}
      ${g("Runtime",n?.runtimeVersion)} ${g("Process id",n?.pid)}
    </dl>`,"card-gateway")}function ft(n,e,t){let s=n?.model??{},i=e?.models??[],o=i.find(a=>a.isDefault);return Y("Model",r`<dl>
      ${g("Default model",s.model??(o?`${o.provider}/${o.id}`:void 0))}
      ${g("Credential",s.credential)}
      ${g("Models",e?String(i.length):void 0)}
      ${g("Agents",t?`${t.agents?.length??0} (default ${t.defaultId})`:void 0)}
      ${g("Sessions",n?.sessions?String(n.sessions.count):void 0)}
    </dl>`,"card-model")}function mt(n){let e=n?.channelOrder??Object.keys(n?.channels??{}),t=n?e.length===0?r`<p class="muted">No channels configured.</p>`:r`<ul class="plain">${e.map(s=>{let i=n.channels[s]??{},o=i.connected?"connected":i.running?"running":i.configured?"stopped":"not configured";return r`<li><strong>${s}</strong> <span class="badge" data-state=${o}>${o}</span>
            ${i.accounts?.length>1?r`<span class="muted">${i.accounts.length} accounts</span>`:null}
            ${i.lastError?r`<span class="error">${i.lastError}</span>`:null}</li>`})}</ul>`:r`<p class="muted">–</p>`;return Y("Channels",t,"card-channels")}function $t(n,e){let t=n?.config?.issues??e?.config?.issues??[],s=n?.config?.valid??e?.config?.valid;return Y("Health",r`<dl>
      ${g("Health",n?n.ok?"ok":"failing":void 0)}
      ${g("Config",s===void 0?void 0:s?"valid":`${t.length} issues`)}
      ${g("Heartbeat",n?n.heartbeatSeconds?`every ${n.heartbeatSeconds} s`:"off":void 0)}
      ${g("Checked in",n?`${n.durationMs} ms`:void 0)}
    </dl>
    ${t.length?r`<ul class="error">${t.slice(0,5).map(i=>r`<li>${i.path??""} ${i.message??i}</li>`)}</ul>`:null}`,"card-health")}function gt(n,e,t){let s=Array.isArray(n)?n:[],i=(e?.nodes??[]).filter(o=>o.connected).length;return r`
    <section class="card wide" aria-label="Connected clients" data-testid="card-presence">
      <h2>Connected clients and nodes</h2>
      <p class="muted">${s.length} in presence · ${e?`${i} of ${e.nodes.length} nodes connected`:"nodes \u2013"}</p>
      <div class="scroll-x">
        <table>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Mode</th>
              <th scope="col">Platform</th>
              <th scope="col">Address</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>${s.map(o=>r`
              <tr>
                <td>${o.host??"?"}${o.version?r`
                    <span class="muted">${o.version}</span>
                  `:null}</td>
                <td>${o.mode??"\u2013"}</td>
                <td>${[o.platform,o.deviceFamily].filter(Boolean).join(" \xB7 ")||"\u2013"}</td>
                <td>${o.ip??"local"}</td>
                <td>${$(o.ts,t)}</td>
              </tr>
            `)}</tbody>
        </table>
      </div>
    </section>
  `}var ye={status:"status",health:"health",presence:"system-presence",models:"models.list",agents:"agents.list",channels:"channels.status",nodes:"node.list"},Qt=5e3,be=class extends u{static properties={_data:{state:!0},_errors:{state:!0}};refreshMs=Qt;#e;#t=!1;#n=0;constructor(){super(),this._data=void 0,this._errors={}}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e)}onConnected(){this.load()}onGatewayEvent(e){e.event==="presence"&&this.#s(250)}#s(e){clearTimeout(this.#e),this.isConnected&&(this.#e=setTimeout(()=>this.load(),e))}async load(){if(this.#t)return;this.#t=!0,clearTimeout(this.#e);let e={},t={};await Promise.all(Object.entries(ye).map(async([s,i])=>{try{e[s]=await l.request(i,{})}catch(o){t[s]=`${i}: ${o.message}`}})),this.#t=!1,this.#n=Date.now(),this._data=e,this._errors=t,this.#s(this.refreshMs)}render(){let e=this._data;if(!e)return r`<p role="status">Loading…</p>`;let t=Date.now(),s=Object.values(this._errors),i=l.device;return r`
      <h1 class="page-title">Overview</h1>
      ${s.length?r`<p class="error" role="alert">Some details are missing: ${s.join("; ")}</p>`:null}
      <div class="cards">
        ${pt(e.status,this.#n,t)} ${ft(e.status,e.models,e.agents)}
        ${mt(e.channels)} ${$t(e.health,e.status)}
      </div>
      ${gt(e.presence,e.nodes,t)}
      <p class="muted" data-testid="this-device">This browser: ${i?`device ${i.id.slice(0,12)}\u2026, signed in with ${i.via==="device-token"?"its device token":"the gateway secret"}`:"no device identity (signed in with the gateway secret only)"}</p>
      <details class="raw">
        <summary>Raw snapshots</summary>
        ${Object.keys(ye).map(o=>r`
            <h3>${ye[o]}</h3>
            <pre>${JSON.stringify(e[o]??null,null,2)}</pre>
          `)}
      </details>
    `}};customElements.define("oc-overview",be);function vt(n){return`${O("chat")}?session=${encodeURIComponent(n)}`}function Zt(n,e){return n.providerOverride&&n.modelOverride?`${n.providerOverride}/${n.modelOverride}`:e?.model?`${e.modelProvider?`${e.modelProvider}/`:""}${e.model} (default)`:"\u2013"}var we=class extends u{static properties={_rows:{state:!0},_defaults:{state:!0},_count:{state:!0},_note:{state:!0},_error:{state:!0},_confirm:{state:!0},_busy:{state:!0}};#e;constructor(){super(),this._rows=void 0,this._defaults=void 0,this._count="",this._note="",this._error="",this._confirm="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e)}onConnected(){this.load()}onGatewayEvent(e){e.event==="sessions.changed"&&(clearTimeout(this.#e),this.#e=setTimeout(()=>this.load(),250))}async load(){try{let e=await l.request("sessions.list",{limit:200});this._rows=e.sessions??[],this._defaults=e.defaults;let t=e.hasMore?` (the newest ${e.count} of ${e.totalCount} shown)`:"";this._count=`${e.totalCount??this._rows.length} sessions${t}`}catch(e){this._error=`Sessions failed to load: ${e.message}`}}async#t(e,t,s){this._busy=e,this._error="";try{let i=await l.request(t,{key:e});this._note=s(i),await this.load()}catch(i){this._error=`${t} failed for ${e}: ${i.message}`}finally{this._busy=""}}#n(e){this.#t(e,"sessions.reset",()=>`Reset ${e}: it starts fresh`)}#s(e){this.#t(e,"sessions.compact",t=>t.compacted?`Compacted ${e}`:`${e} not compacted: ${t.reason??"nothing to do"}`)}#o(e){this._confirm=e,this.updateComplete.then(()=>this.querySelector("[data-confirm-delete]")?.focus())}#i(e){this._confirm="",this.updateComplete.then(()=>this.querySelector(`tr[data-key="${CSS.escape(e)}"] [data-delete]`)?.focus())}#r(e){this._confirm="",this.#t(e,"sessions.delete",t=>t.deleted?`Deleted ${e}`:`${e} was already gone`)}#c(e,t){e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||(e.preventDefault(),history.pushState(null,"",vt(t)),dispatchEvent(new Event("route")))}#a(e){let t=this._busy===e.key;return this._confirm===e.key?r`
        <div class="confirm" role="group" aria-label=${`Confirm delete of ${e.key}`}
          @keydown=${s=>s.key==="Escape"&&this.#i(e.key)}>
          <span>Delete ${e.key} and its transcript?</span>
          <button type="button" class="danger" data-confirm-delete @click=${()=>this.#r(e.key)}>Yes, delete</button>
          <button type="button" @click=${()=>this.#i(e.key)}>Cancel</button>
        </div>
      `:r`
      <div class="actions">
        <a href=${vt(e.key)} @click=${s=>this.#c(s,e.key)}
          aria-label=${`Open ${e.key} in chat`}>Open in chat</a>
        <button type="button" ?disabled=${t} @click=${()=>this.#n(e.key)}
          aria-label=${`Reset ${e.key}`}>Reset</button>
        <button type="button" ?disabled=${t} @click=${()=>this.#s(e.key)}
          aria-label=${`Compact ${e.key}`}>Compact</button>
        <button type="button" data-delete ?disabled=${t} @click=${()=>this.#o(e.key)}
          aria-label=${`Delete ${e.key}`}>Delete</button>
      </div>
    `}#l(e){let t=e.label||e.displayName||e.lastMessagePreview||"",s=e.lastChannel?` \xB7 ${e.lastChannel}`:"";return r`
      <tr data-key=${e.key}>
        <td data-label="Session"><code>${e.key}</code>${e.isMain?r`
            <span class="badge">main</span>
          `:null}${t?r`<div class="muted">${t}</div>`:null}</td>
        <td data-label="Kind">${e.kind??"\u2013"}${s}</td>
        <td data-label="Tokens" class="num">
          <span title="input / output / total">${X(e.inputTokens??0)} in / ${X(e.outputTokens??0)} out / ${X(e.totalTokens??0)}</span>
        </td>
        <td data-label="Model">${Zt(e,this._defaults)}</td>
        <td data-label="Last activity" title=${new Date(e.updatedAt).toLocaleString()}>${$(e.updatedAt)}</td>
        <td data-label="Actions">${this.#a(e)}</td>
      </tr>
    `}render(){return r`
      <div class="page-head">
        <h1>Sessions</h1>
        <button type="button" @click=${()=>this.load()}>Refresh</button>
      </div>
      <p class="muted" data-testid="sessions-count">${this._rows===void 0?"Loading\u2026":this._count}</p>
      <p role="status" data-testid="sessions-note">${this._note}</p>
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
            <tbody>${this._rows.map(e=>this.#l(e))}</tbody>
          </table>
        `:null}
    `}};customElements.define("oc-sessions",we);var ke=class extends v{static properties={label:{},question:{},yes:{},busy:{type:Boolean},_asking:{state:!0}};constructor(){super(),this.label="Remove",this.question="Are you sure?",this.yes="",this.busy=!1,this._asking=!1}createRenderRoot(){return this}#e(e){this._asking=e,this.updateComplete.then(()=>this.querySelector(e?"button.danger":"button")?.focus())}render(){return this._asking?r`
      <span class="confirm" role="group" aria-label=${this.question}>
        <span>${this.question}</span>
        <button type="button" class="danger" @click=${()=>{this._asking=!1,this.dispatchEvent(new CustomEvent("confirm",{bubbles:!0}))}}>${this.yes||this.label}</button>
        <button type="button" @click=${()=>this.#e(!1)}>Cancel</button>
      </span>
    `:r`<button type="button" ?disabled=${this.busy} @click=${()=>this.#e(!0)}>${this.label}</button>`}};customElements.define("oc-confirm-button",ke);var es=5e3,Ae=class extends u{static properties={_requests:{state:!0},_error:{state:!0},_note:{state:!0},_busy:{state:!0}};#e;constructor(){super(),this._requests=void 0,this._error="",this._note="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e)}onConnected(){this.load()}async load(){clearTimeout(this.#e);try{let e=await l.request("channels.pairing.list",{});this._requests=e.requests??[],this._error=""}catch(e){this._error=`DM requests unavailable: ${e.message}`}clearTimeout(this.#e),this.isConnected&&(this.#e=setTimeout(()=>this.load(),es))}async#t(e,t){this._busy=e.code;try{let s={channel:e.channel,code:e.code};t==="channels.pairing.approve"&&Object.assign(s,{accountId:e.accountId,notify:!0}),await l.request(t,s),this._note=t==="channels.pairing.approve"?`Approved ${Ee(e)}: they can talk to the assistant now`:`Dismissed the request from ${Ee(e)}`}catch(s){this._note="",this._error=s.message}finally{this._busy=""}await this.load()}render(){let e=this._requests;return r`
      <h2 id="dm-requests">DM access requests</h2>
      <p class="muted">Unknown senders get a pairing code; approve them here. Requests expire after
        1 hour, at most 3 wait per channel.</p>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._note?r`<p role="status">${this._note}</p>`:null}
      ${e===void 0?r`<p role="status">Loading…</p>`:e.length===0?r`<p class="muted">No pending requests.</p>`:r`<ul class="cards" aria-labelledby="dm-requests">${e.map(t=>r`
              <li class="card" data-code=${t.code}>
                <div class="card-head">
                  <strong>${Ee(t)}</strong>
                  <span class="badge">${t.channel}${t.accountId!=="default"?` \xB7 ${t.accountId}`:""}</span>
                </div>
                <p class="muted">${t.senderId} · code <code>${t.code}</code> · asked ${$(t.createdAt)}</p>
                <div class="actions">
                  <button type="button" ?disabled=${this._busy===t.code}
                    @click=${()=>this.#t(t,"channels.pairing.approve")}>Approve</button>
                  <button type="button" ?disabled=${this._busy===t.code}
                    @click=${()=>this.#t(t,"channels.pairing.dismiss")}>Dismiss</button>
                </div>
              </li>
            `)}</ul>`}
    `}};function Ee(n){let e=n.meta?.name??"",t=n.meta?.username?`@${n.meta.username}`:"";return e&&t?`${e} (${t})`:e||t||n.senderId}customElements.define("oc-dm-requests",Ae);var ts=5e3,ss=18e4,Se=class extends u{static properties={accountId:{attribute:"account-id"},_state:{state:!0},_qr:{state:!0},_message:{state:!0}};#e=0;constructor(){super(),this.accountId="default",this._state="idle",this._qr="",this._message=""}disconnectedCallback(){super.disconnectedCallback(),this.#e++}async start(){let e=++this.#e,t=()=>e===this.#e&&this.isConnected,s={accountId:this.accountId},i=Date.now()+ss;this._state="starting",this._message="Asking WhatsApp for a QR code\u2026";try{for(;t();){let o=await l.request("web.login.start",{...s,timeoutMs:25e3});if(!t())return;if(!o.qrDataUrl){let c=/already linked/i.test(o.message);this.#t(c?"linked":"failed",o.message);return}this._qr=o.qrDataUrl,this._state="qr",this._message=o.message;let a=await l.request("web.login.wait",{...s,timeoutMs:ts});if(!t())return;if(a.connected)return this.#t("linked",a.message);if(Date.now()>i)return this.#t("failed","The QR code expired before it was scanned; try again");await new Promise(c=>setTimeout(c,500))}}catch(o){t()&&this.#t("failed",`Linking failed: ${o.message}`)}}cancel(){this.#e++,this._state="idle",this._qr="",this._message=""}#t(e,t){this._state=e,this._message=t,this._qr="",e==="linked"&&this.dispatchEvent(new CustomEvent("linked",{bubbles:!0,detail:{message:t}}))}render(){let e=this._state;return e==="idle"?r`<button type="button" @click=${()=>this.start()}>Link WhatsApp</button>`:r`
      <div class="wa-link" data-state=${e}>
        ${e==="qr"?r`<img class="qr" src=${this._qr} alt="WhatsApp QR code" width="240" height="240">`:null}
        <p role="status" class=${e==="failed"?"error":""}>${this._message}</p>
        ${e==="qr"?r`<p class="muted">The code refreshes as WhatsApp rotates it.</p>`:null}
        ${e==="starting"||e==="qr"?r`<button type="button" @click=${()=>this.cancel()}>Cancel</button>`:e==="failed"?r`<button type="button" @click=${()=>this.start()}>Try again</button>`:null}
      </div>
    `}};customElements.define("oc-whatsapp-link",Se);var _t={whatsapp:"WhatsApp",telegram:"Telegram"},ns={open:"connected",not_linked:"not linked",logged_out:"logged out",waiting_qr:"waiting for scan",gave_up:"gave up reconnecting"};function is(n){if(!n.enabled)return{text:"disabled",tone:"off"};if(n.connected)return{text:"connected",tone:"ok"};let e=n.connection??n.state;return{text:ns[e]??String(e??"stopped").replaceAll("_"," "),tone:n.running?"warn":"off"}}function os(n){let e=n.bot??n.probe?.bot;return e?e.username?`@${e.username} (id ${e.id})`:e.id:""}var Ce=class extends u{static properties={_status:{state:!0},_error:{state:!0},_note:{state:!0},_busy:{state:!0}};#e;#t;constructor(){super(),this._status=void 0,this._error="",this._note="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e),clearTimeout(this.#t)}onConnected(){this.load()}onGatewayEvent(e){e.event!=="health"||this.#e||(this.#e=setTimeout(()=>{this.#e=void 0,this.load()},300))}async load(){clearTimeout(this.#t);try{this._status=await l.request("channels.status",{probe:!1,timeoutMs:8e3}),this._error=""}catch(e){this._error=`Channel status unavailable: ${e.message}`}clearTimeout(this.#t),this.isConnected&&(this.#t=setTimeout(()=>this.load(),1e4))}async#n(e,t){this._busy=`${e}/${t}`;try{let s=await l.request("channels.logout",{channel:e,accountId:t});this._note=s.message}catch(s){this._error=`Log out failed: ${s.message}`}finally{this._busy=""}await this.load()}#s(e,t){let s=is(t),i=os(t),o=`${e}/${t.accountId}`,a=e==="whatsapp",c=[["Running",t.running?"yes":"no"],...t.mode?[["Mode",t.mode]]:[],...a?[["Linked",t.linked?"yes":"no"]]:[],...i?[[a?"Linked as":"Bot",i]]:[],["Last in",$(t.lastInboundAt)],["Last out",$(t.lastOutboundAt)],...t.reconnectAttempts?[["Reconnects",String(t.reconnectAttempts)]]:[]];return r`<li class="card" data-account=${o}>
      <div class="card-head">
        <strong>${t.accountId}</strong>
        <span class="badge" data-tone=${s.tone}>${s.text}</span>
      </div>
      <dl class="facts">${c.map(([d,p])=>r`
          <dt>${d}</dt>
          <dd>${p}</dd>
        `)}</dl>
      ${t.lastError?r`<p class="error">Last error: ${t.lastError}</p>`:null}
      ${a?r`<div class="actions">${t.linked?r`
              <oc-confirm-button label="Log out" yes="Log out"
                question=${`Unlink WhatsApp account ${t.accountId} and delete its credentials?`}
                ?busy=${this._busy===o}
                @confirm=${()=>this.#n(e,t.accountId)}></oc-confirm-button>
            `:r`<oc-whatsapp-link account-id=${t.accountId} @linked=${d=>{this._note=`WhatsApp: ${d.detail.message}`,this.load()}}></oc-whatsapp-link>`}</div>`:null}
    </li>`}#o(e,t){let s=t.connected?"ok":t.running?"warn":"off",i=t.connected?"connected":t.running?"running":"stopped";return r`<section class="channel" aria-labelledby=${`ch-${e}`}>
      <div class="card-head">
        <h2 id=${`ch-${e}`}>${_t[e]??e}</h2>
        <span class="badge" data-tone=${s}>${i}</span>
      </div>
      ${t.lastError&&!t.accounts.some(o=>o.lastError===t.lastError)?r`<p class="error">${t.lastError}</p>`:null}
      <ul class="cards" aria-label=${`${_t[e]??e} accounts`}>${t.accounts.map(o=>this.#s(e,o))}</ul>
    </section>`}render(){let e=this._status,t=e?e.channelOrder.filter(s=>e.channels[s]):[];return r`
      <div class="page-head">
        <h1>Channels</h1>
        <button type="button" @click=${()=>this.load()}>Refresh</button>
      </div>
      ${e?r`<p class="muted">Updated ${$(e.ts)}.</p>`:null}
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._note?r`<p role="status" data-testid="channels-note">${this._note}</p>`:null}
      ${!e&&!this._error?r`<p role="status">Loading…</p>`:null}
      ${e&&t.length===0?r`<p class="muted">No channels configured. Add <code>channels.telegram</code> or
            <code>channels.whatsapp</code> to the config, then come back here.</p>`:null}
      ${t.map(s=>this.#o(s,e.channels[s]))}
      <oc-dm-requests></oc-dm-requests>
    `}};customElements.define("oc-channels",Ce);function k(n,e){return r`<span class="badge" data-tone=${e}>${n}</span>`}function q(n,e,t){return e?.length?r`<div class="chip-row"><span class="muted">${n}</span>
    <ul class="chips" aria-label=${n}>${e.map(s=>r`<li class="chip" data-kind=${t}>${s}</li>`)}</ul></div>`:null}function Q(n){return r`<p class="muted">${n.filter(Boolean).join(" \xB7 ")}</p>`}function yt(n,e,[t,s],[i,o]){let a=n._busy===e;return r`
    <div class="actions">
      <button type="button" ?disabled=${a}
        @click=${()=>n.act(t,{requestId:e},s)}>Approve</button>
      <button type="button" ?disabled=${a}
        @click=${()=>n.act(i,{requestId:e},o)}>Reject</button>
    </div>
  `}function bt(n,e,t){return r`
    <div class="actions">
      <oc-confirm-button label="Remove" yes="Remove"
        question=${`Remove ${t}? It must pair again to connect.`}
        ?busy=${n._busy===e}
        @confirm=${()=>n.act("device.pair.remove",{deviceId:e},`Removed ${t}`)}></oc-confirm-button>
    </div>
  `}function wt(n,e){let t=n.displayName||n.clientId;return r`<li class="card" data-request=${n.requestId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${k(n.isRepair?"re-pair requested":"approval needed","warn")}
    </div>
    ${Q([n.platform,`role ${(n.roles?.length?n.roles:[n.role]).join(", ")}`,`asked ${$(n.ts)}`,`device ${n.deviceId.slice(0,12)}\u2026`])}
    ${q("Requested scopes",n.scopes,"scope")}
    ${yt(e,n.requestId,["device.pair.approve",`Approved ${t}`],["device.pair.reject",`Rejected ${t}`])}
  </li>`}function kt(n,e){let t=n.displayName||n.nodeId;return r`<li class="card" data-request=${n.requestId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${k("commands need approval","warn")}
    </div>
    ${Q([n.platform,n.version,n.remoteIp,`asked ${$(n.ts)}`])}
    ${q("Requested commands",n.commands,"command")}
    ${yt(e,n.requestId,["node.pair.approve",`Approved the commands of ${t}`],["node.pair.reject",`Rejected the commands of ${t}`])}
  </li>`}function Et(n,e){let t=n.displayName||n.nodeId,s=Object.entries(n.permissions??{}).map(([i,o])=>`${i} ${o?"\u2713":"\u2717"}`);return r`<li class="card" data-node=${n.nodeId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${n.connected?k("connected","ok"):k("offline","off")}
      ${n.approvalState==="pending-approval"?k("approval needed","warn"):null}
    </div>
    ${Q([n.platform,n.deviceFamily,n.version,n.remoteIp,n.connected?`connected ${$(n.connectedAtMs)}`:`seen ${$(n.lastSeenAtMs)}`,n.paired?"paired":"not paired"])}
    ${q("Capabilities",n.caps,"cap")}
    ${q("Commands",n.commands,"command")}
    ${q("Permissions",s,"permission")}
    ${n.paired?bt(e,n.nodeId,t):null}
  </li>`}function rs(){try{return JSON.parse(localStorage.getItem("openclaw-device-identity-v1")??"{}").deviceId}catch{return}}function At(n,e){let t=n.displayName||n.clientId;return r`<li class="card" data-device=${n.deviceId}>
    <div class="card-head">
      <strong>${t}</strong>
      ${n.connected?k("connected","ok"):k("offline","off")}
      ${n.deviceId===rs()?k("this browser","off"):null}
    </div>
    ${Q([n.platform,`role ${n.roles.join(", ")}`,n.approvedVia==="silent"?"auto-paired":"approved",n.lastSeenAtMs?`seen ${$(n.lastSeenAtMs)}`:""])}
    ${q("Scopes",n.scopes,"scope")}
    ${bt(e,n.deviceId,t)}
  </li>`}var as=new Set(["device.pair.requested","device.pair.resolved","node.pair.requested","node.pair.resolved","presence"]),xe=class extends u{static properties={_data:{state:!0},_error:{state:!0},_note:{state:!0},_busy:{state:!0}};#e;constructor(){super(),this._data=void 0,this._error="",this._note="",this._busy=""}connectedCallback(){super.connectedCallback(),this.load()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e)}onConnected(){this.load()}onGatewayEvent(e){!as.has(e.event)||this.#e||(this.#e=setTimeout(()=>{this.#e=void 0,this.load()},150))}async load(){try{let[e,t,s]=await Promise.all([l.request("node.list",{}),l.request("device.pair.list",{}),l.request("node.pair.list",{})]);this._data={nodes:e.nodes??[],devices:t,nodePairs:s},this._error=""}catch(e){this._error=`Devices unavailable: ${e.message}`}}async act(e,t,s){this._busy=t.requestId??t.deviceId;try{await l.request(e,t),this._note=s,this._error=""}catch(i){this._error=i.message}finally{this._busy=""}await this.load()}render(){let e=this._data,t=e?.devices.pending??[],s=e?.nodePairs.pending??[],i=new Set(e?.nodes.map(c=>c.nodeId)),o=(e?.devices.paired??[]).filter(c=>!i.has(c.deviceId)),a=e?e.nodes.filter(c=>c.connected).length:0;return r`
      <div class="page-head">
        <h1>Nodes and devices</h1>
        <button type="button" @click=${()=>this.load()}>Refresh</button>
      </div>
      ${this._error?r`<p class="error" role="alert">${this._error}</p>`:null}
      ${this._note?r`<p role="status" data-testid="nodes-note">${this._note}</p>`:null}
      ${!e&&!this._error?r`<p role="status">Loading…</p>`:null}
      ${e?r`
          <section aria-labelledby="pending-h">
            <h2 id="pending-h">Pending requests</h2>
            ${t.length+s.length===0?r`<p class="muted">Nothing waiting for approval.</p>`:r`<ul class="cards" aria-labelledby="pending-h">
                ${t.map(c=>wt(c,this))}
                ${s.map(c=>kt(c,this))}
              </ul>`}
          </section>
          <section aria-labelledby="nodes-h">
            <h2 id="nodes-h">Nodes</h2>
            ${e.nodes.length?r`<p class="muted">${a} of ${e.nodes.length} connected.</p>`:null}
            ${e.nodes.length===0?r`<p class="muted">No nodes yet. Start a node host and approve it here.</p>`:r`<ul class="cards" aria-labelledby="nodes-h">${e.nodes.map(c=>Et(c,this))}</ul>`}
          </section>
          <section aria-labelledby="devices-h">
            <h2 id="devices-h">Paired devices</h2>
            ${o.length===0?r`<p class="muted">No other paired devices.</p>`:r`<ul class="cards" aria-labelledby="devices-h">${o.map(c=>At(c,this))}</ul>`}
          </section>
        `:null}
    `}};customElements.define("oc-nodes",xe);var cs={hot:"applied live",none:"read live, nothing to restart",restart:"needs a gateway restart"};function ls(n){return n.line?n.column?`Line ${n.line}, column ${n.column}`:`Line ${n.line}`:""}function St(n,e,t){return!n?.length&&!e?null:r`<div class="config-issues" role="alert" data-testid="config-issues">
    <h2>Not valid: nothing was written</h2>
    ${e?r`<p>${e}</p>`:null}
    <ul>
      ${(n??[]).map(s=>r`<li data-line=${s.line??""} data-key=${s.path}>
          ${s.line?r`<button type="button" class="link" @click=${()=>t(s.line,s.column)}>${ls(s)}</button>`:null}
          ${s.path?r`<code>${s.path}</code>`:null}
          <span>${s.message}</span>
        </li>`)}
    </ul>
  </div>`}function ds(n){return n.changes.length?n.restart?"Saving restarts the gateway; this page reconnects by itself.":n.changes.some(e=>e.effect==="restart")?'Some changes wait for a restart: gateway.reload.mode is "hot".':"Saving applies every change live, without a restart.":"No setting changes (formatting or comments only)."}function Te(n,e="What saving does"){return n?.valid?r`<div class="config-changes" data-testid="config-changes">
    <h2>${e}</h2>
    <p>${ds(n)}</p>
    ${n.changes.length?r`<ul>
        ${n.changes.map(t=>r`<li data-effect=${t.effect}>
            <code>${t.path}</code>
            <span class="effect" data-effect=${t.effect}>${t.effect==="restart"?"restart":"hot"}</span>
            ${cs[t.effect]}${t.action?r`
                (<code>${t.action}</code>)
              `:null}
          </li>`)}
      </ul>`:null}
  </div>`:null}var hs=700,Ie=1e6,us="__OPENCLAW_REDACTED__",ps=/^Config changed since baseHash/,Oe=class extends u{static properties={_file:{state:!0},_check:{state:!0},_saved:{state:!0},_note:{state:!0},_error:{state:!0},_conflict:{state:!0},_busy:{state:!0}};#e="";#t="";#n;#s=0;constructor(){super(),this._file=void 0,this._check=void 0,this._saved=void 0,this._note="Loading\u2026",this._error="",this._conflict=!1,this._busy=!1}#o=e=>{this.#r()&&e.preventDefault()};connectedCallback(){super.connectedCallback(),addEventListener("beforeunload",this.#o),this.load()}disconnectedCallback(){super.disconnectedCallback(),removeEventListener("beforeunload",this.#o),clearTimeout(this.#n)}onConnected(){this.#r()||this.load({keepSaved:!0})}get#i(){return this.querySelector("textarea")}#r(){let e=this.#i;return!!e&&e.value!==this.#t}async load({keepSaved:e=!1}={}){clearTimeout(this.#n);try{let t=await l.request("config.get",{}),s=t.raw??`{
}
`;this.#e=t.hash,this.#t=s,this._file=t,this.#i&&(this.#i.value=s),this._check=t.valid?void 0:{valid:!1,issues:t.issues,changes:[],stale:!1},this._conflict=!1,this._error="",e||(this._saved=void 0),this._note=t.exists?`Editing ${t.path}`:`${t.path} does not exist yet: saving creates it`}catch(t){this._error=`Config failed to load: ${t.message}`}}async check(e=this.#i?.value??""){clearTimeout(this.#n);let t=++this.#s,s=await l.request("config.validate",{raw:e,baseHash:this.#e});return t===this.#s&&(this._check=s),s}#c(){this._saved=void 0,clearTimeout(this.#n),this.#n=setTimeout(()=>this.check().catch(()=>{}),hs)}async save(){let e=this.#i.value;if(e.length>Ie){this._error=`The file is too large to save here (${e.length} characters; at most ${Ie})`;return}this._busy=!0,this._error="",this._saved=void 0;try{let t=await this.check(e);if(!t.valid)return;if(e===this.#t){this._note="Nothing to save: the text is as loaded";return}let s=await l.request("config.set",{raw:e,baseHash:this.#e});this.#e=s.hash,this.#t=e,this._saved=t,this._check=void 0,this._note=`Saved ${s.path}`}catch(t){ps.test(t.message??"")?this._conflict=!0:this._error=`Not saved: ${t.message}`,this._note="Not saved"}finally{this._busy=!1}}goTo(e,t=1){let s=this.#i,i=s.value.split(`
`),o=0;for(let c=0;c<Math.min(e-1,i.length);c++)o+=i[c].length+1;let a=i[e-1]?.length??0;s.focus(),s.setSelectionRange(o+Math.min(t-1,a),o+a)}#a(){return this._conflict?r`
      <div class="config-conflict" role="alert" data-testid="config-conflict">
        <h2>Not saved: the file changed on disk</h2>
        <p>
              Someone (or something) changed the config file after this page loaded it, so saving
              would overwrite their change. Reload to get the current file, redo your edit, and
              save again.
            </p>
        <button type="button" @click=${()=>this.load()}>Reload the file (drops your edits)</button>
      </div>
    `:null}render(){let e=this._check,t=(s,i)=>this.goTo(s,i);return r`
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
        JSON5 (comments and trailing commas are fine). Secrets show as <code>${us}</code>:
        leave that text as it is to keep the stored value, or type a new value to replace it.
      </p>
      <label class="config-editor">
        <span>Config file</span>
        <textarea spellcheck="false" autocapitalize="off" autocomplete="off" rows="24"
          maxlength=${Ie} aria-describedby="config-help"
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
          @click=${()=>this.check().catch(s=>this._error=s.message)}>Check</button>
      </div>
      ${e&&!e.valid?St(e.issues,e.message,t):null}
      ${this._saved?r`<div role="status" class="config-saved" data-testid="config-saved">
          <p><strong>Saved.</strong></p>
          ${Te(this._saved,"What the save did")}
        </div>`:e?.valid&&!e.stale&&!this._conflict&&this.#r()?Te(e):null}
    `}};customElements.define("oc-config",Oe);var fs=2e3,ms=2e3,Ct=["trace","debug","info","warn","error","fatal"];function $s(n){if(!n.startsWith("{"))return{level:void 0,text:n};try{let{time:e,level:t,subsystem:s,msg:i,...o}=JSON.parse(n),a=typeof e=="string"?e.slice(11,23):"",c=Object.keys(o).length?` ${JSON.stringify(o)}`:"",d=typeof t=="string"?t.toLowerCase():void 0;return{level:d,text:`${a} ${(d??"?").toUpperCase().padEnd(5)} ${s?`[${s}] `:""}${i??""}${c}`}}catch{return{level:void 0,text:n}}}var Re=class extends u{static properties={_lines:{state:!0},_note:{state:!0},_levels:{state:!0},_follow:{state:!0}};#e;#t;#n;constructor(){super(),this._lines=[],this._note="Loading\u2026",this._levels=new Set(Ct),this._follow=!0}connectedCallback(){super.connectedCallback(),this.poll()}disconnectedCallback(){super.disconnectedCallback(),clearTimeout(this.#e)}async poll(){clearTimeout(this.#e);try{let e=await l.request("logs.tail",{limit:500,maxBytes:25e4,...this.#t!==void 0?{cursor:this.#t,file:this.#n}:{}}),t=e.reset?[]:this._lines;this.#t=e.cursor,this.#n=e.file,(e.reset||e.lines.length)&&(this._lines=[...t,...e.lines.map($s)].slice(-fs)),this._note=`Following ${e.file}`}catch(e){this._note=`Logs unavailable: ${e.message}`}this.isConnected&&(this.#e=setTimeout(()=>this.poll(),ms))}#s(){return this._lines.filter(e=>!e.level||this._levels.has(e.level))}#o(e,t){let s=new Set(this._levels);t?s.add(e):s.delete(e),this._levels=s}#i(){let e=this.#s().map(s=>s.text).join(`
`)+`
`,t=document.createElement("a");t.href=URL.createObjectURL(new Blob([e],{type:"text/plain"})),t.download=`openclaw-logs-${new Date().toISOString().replace(/[:.]/g,"-")}.log`,t.click(),setTimeout(()=>URL.revokeObjectURL(t.href),1e4)}updated(){if(!this._follow)return;let e=this.querySelector("pre");e&&(e.scrollTop=e.scrollHeight)}render(){let e=this.#s();return r`
      <p role="status">${this._note}</p>
      <div class="log-tools">
        <fieldset>
          <legend>Levels</legend>
          ${Ct.map(t=>r`<label class="chip"><input type="checkbox" .checked=${this._levels.has(t)}
              @change=${s=>this.#o(t,s.target.checked)}>${t}</label>`)}
        </fieldset>
        <label class="chip"><input type="checkbox" .checked=${this._follow}
          @change=${t=>this._follow=t.target.checked}>Follow</label>
        <button type="button" @click=${()=>this.#i()}>Export visible</button>
        <span class="muted" data-testid="log-count">${e.length} of ${this._lines.length} lines</span>
      </div>
      <pre class="log" data-testid="log-lines" tabindex="0" aria-label="Gateway log">${e.map(t=>t.text).join(`
`)}</pre>
    `}};customElements.define("oc-logs",Re);var Z=[{route:"chat",tag:"oc-chat",title:"Chat"},{route:"overview",tag:"oc-overview",title:"Overview"},{route:"sessions",tag:"oc-sessions",title:"Sessions"},{route:"channels",tag:"oc-channels",title:"Channels"},{route:"nodes",tag:"oc-nodes",title:"Nodes"},{route:"config",tag:"oc-config",title:"Config"},{route:"logs",tag:"oc-logs",title:"Logs"}],xt={"":"chat",devices:"nodes",settings:"config"};var qe=class extends u{#e(e){e.preventDefault();let t=new FormData(e.target).get("token");typeof t=="string"&&t&&l.signIn(t)}firstUpdated(){this.querySelector("input")?.focus()}render(){return r`
      <h1>Sign in</h1>
      ${l.error?r`<p class="error" role="alert">${l.error}</p>`:null}
      <p class="muted">Paste the gateway token (<code>openclaw config get gateway.auth.token</code>)
        or open the link <code>openclaw dashboard</code> prints.</p>
      <form class="row" @submit=${this.#e}>
        <input type="password" name="token" autocomplete="current-password"
          aria-label="Gateway token" placeholder="Gateway token" maxlength="4096" required>
        <button type="submit">Connect</button>
      </form>
    `}};customElements.define("oc-sign-in",qe);var gs={idle:"idle","signed-out":"signed out",connecting:"connecting\u2026",connected:"connected",reconnecting:"reconnecting\u2026","auth-failed":"signed out"},ee=class extends v{#e;#t;createRenderRoot(){return this}connectedCallback(){super.connectedCallback(),l.addEventListener("state",()=>this.requestUpdate()),addEventListener("route",()=>this.requestUpdate()),ht(),l.start()}#n(){let e=ge(),t=xt[e]??e;return Z.find(s=>s.route===t)??Z[0]}#s(e){return this.#t!==e.route&&(this.#e=document.createElement(e.tag),this.#t=e.route),this.#e}render(){let e=this.#n(),t=l.state==="connected",s=l.state==="signed-out"||l.state==="auth-failed";return s&&(this.#e=this.#t=void 0),document.title=`${e.title} \xB7 OpenClaw Control`,r`
      <nav aria-label="Pages">
        <strong class="brand">OpenClaw</strong>
        ${Z.map(i=>r`
            <a href=${O(i.route)} data-route=${i.route}
              aria-current=${i===e?"page":"false"}>${i.title}</a>
          `)}
        <span class="status" data-state=${l.state} data-testid="conn" role="status"
          >${gs[l.state]??l.state}</span>
        ${t?r`<button type="button" @click=${()=>l.signOut()}>Sign out</button>`:null}
      </nav>
      ${l.error&&!s?r`<p class="banner" role="alert">${l.error}</p>`:null}
      <main>
        ${s?r`<oc-sign-in></oc-sign-in>`:this.#e||t?this.#s(e):r`<p role="status">Connecting…</p>`}
      </main>
    `}};Ve();customElements.define("oc-app",ee);
